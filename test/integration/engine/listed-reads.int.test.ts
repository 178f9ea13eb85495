/**
 * A sync pass uses what its listings returned as its reads: a listed record is not read again by id, a complete
 * listing of the other side answers identity matching (no `find` per email), and the listing of Concord's own writes
 * in the next pass is recognised as its echo without reading the other side. Counted with the emulators' request
 * counters, over real HTTP, with the shipped HubSpot <-> Mailchimp mapping.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachDialect } from '../../support/db.js';
import { startWorld, type World } from '../../e2e/hubspot-mailchimp-world.js';

const MEMBER_GET = 'GET /3.0/lists/:listId/members/:hash';
const HUBSPOT_BATCH = 'POST /crm/v3/objects/:objectType/batch/:action';
const HUBSPOT_SEARCH = 'POST /crm/v3/objects/:objectType/search';

function contact(i: number): Record<string, string> {
  return { email: `person${i}@example.com`, firstname: `First${i}`, lastname: `Last${i}`, company: `Company ${i}`, phone: `+1555000${String(i).padStart(4, '0')}`, lifecyclestage: 'lead', hs_email_optout: 'false' };
}

function member(i: number): Record<string, unknown> {
  return { email_address: `person${i}@example.com`, status: 'subscribed', merge_fields: { FNAME: `First${i}`, LNAME: `Last${i}`, COMPANY: `Company ${i}`, PHONE: `+1555000${String(i).padStart(4, '0')}`, LIFECYCLE: 'lead' } };
}

describeEachDialect('a sync pass reads what it listed once', (getStore) => {
  let w: World;
  beforeAll(async () => { w = await startWorld(getStore()); });
  afterAll(async () => { await w?.close(); });
  const counts = () => ({ hubspot: w.hubspot.server.counter.counts(), mailchimp: w.mailchimp.server.counter.counts() });
  const resetCounts = () => { w.hubspot.server.counter.reset(); w.mailchimp.server.counter.reset(); };

  describe('in order', { timeout: 120_000 }, () => {
    it('a first sync reads no record by id: listed records are the reads, matching uses the listings, its own creates come back as echoes', async () => {
      await w.hs.seed('contacts', Array.from({ length: 30 }, (_, i) => ({ properties: contact(i) })));
      await w.tick('mailchimp');
      await w.mc.seed('members', Array.from({ length: 10 }, (_, i) => member(i)));
      resetCounts();
      const report = await w.sync();
      expect(report.quiescent).toBe(true);
      expect(report.problems).toEqual([]);
      const members = await w.mc.records('members') as Array<{ email_address: string; merge_fields: Record<string, unknown> }>;
      expect(members).toHaveLength(30);
      expect(members.find((m) => m.email_address === 'person25@example.com')?.merge_fields).toMatchObject({ FNAME: 'First25', COMPANY: 'Company 25' });

      const c = counts();
      // Neither a member read (GET by hash, which `find` by email also uses) nor a HubSpot batch read or write.
      expect(c.mailchimp[MEMBER_GET] ?? 0).toBe(0);
      expect(c.hubspot[HUBSPOT_BATCH] ?? 0).toBe(0);
      // The 20 creates in one batch subscribe.
      expect(c.mailchimp['POST /3.0/lists/:listId']).toBe(1);
      // Searches are the listings only (one page per pass), no search by email.
      expect(c.hubspot[HUBSPOT_SEARCH]).toBe(report.passes);
    });

    it('an edit on one side is read only on the other side, and its echo is not read at all', async () => {
      const person = (await w.contact('person3@example.com'))!;
      await w.tick('hubspot');
      await w.hs.edit('contacts', person.id, { properties: { firstname: 'Third' } });
      resetCounts();
      const report = await w.sync();
      expect(report.quiescent).toBe(true);
      expect((await w.member('person3@example.com'))?.merge_fields).toMatchObject({ FNAME: 'Third' });

      const c = counts();
      // The listed contact is not read again; the member it is linked to is read once (none when the Mailchimp
      // listing, which overlaps its cursor by a second, returned it too), then patched once.
      expect(c.hubspot[HUBSPOT_BATCH] ?? 0).toBe(0);
      expect(c.mailchimp[MEMBER_GET] ?? 0).toBeLessThanOrEqual(1);
      expect(c.mailchimp['PATCH /3.0/lists/:listId/members/:hash']).toBe(1);
    });
  });
});
