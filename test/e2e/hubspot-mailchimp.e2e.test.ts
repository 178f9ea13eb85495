/**
 * HubSpot <-> Mailchimp contacts end to end, on SQLite and Postgres: the shipped mapping, the real connectors and
 * both emulators over real HTTP. The cases are one story in order (each builds on the state the previous left), as
 * an operator would live it: first sync, edits on each side, conflicts, unsubscribes, an archive, an unreliable
 * provider, the audit trail, and a rollback. Time comes from the emulators' clocks, moved forward with `tick`, so
 * "later" is unambiguous without waiting.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rollback } from '../../src/engine/rollback/rollback.js';
import type { SyncReport } from '../../src/engine/sync/sync-pair.js';
import { verifyAuditChain } from '../../src/store/audit-verify.js';
import { describeEachDialect } from '../support/db.js';
import { startWorld, type World } from './hubspot-mailchimp-world.js';

const props = (p: Record<string, string>) => ({ properties: p });
const tagSet = (tags: Array<{ name: string }> | string | null | undefined) =>
  (typeof tags === 'string' ? tags.split(';').filter((t) => t !== '') : (tags ?? []).map((t) => t.name)).sort();

/** Every problem but a deliberate skip (outside the filter, or marketing-only with create.to_left off). */
const bad = (r: SyncReport) => r.problems.filter((p) => p.outcome !== 'skipped');

describeEachDialect('HubSpot <-> Mailchimp contacts', (getStore) => {
  let w: World;
  const reports: SyncReport[] = [];
  const sync = async () => { const r = await w.sync(); reports.push(r); return r; };
  beforeAll(async () => { w = await startWorld(getStore()); });
  afterAll(async () => { await w?.close(); });

  describe('in order', { timeout: 120_000 }, () => {
    it('first sync links existing contacts by email, creates CRM-only ones in the audience and leaves the rest alone', async () => {
      await w.hs.seed('contacts', [
        props({ email: 'ada@example.com', firstname: 'Ada', lastname: 'Lovelace', phone: '+442071234567', company: 'Analytical', lifecyclestage: 'lead', tags: 'vip', hs_email_optout: 'false' }),
        props({ email: 'bob@example.com', firstname: 'Bob', lastname: 'Byron', lifecyclestage: 'customer', hs_email_optout: 'false' }),
        props({ email: 'carol@example.com', firstname: 'Carol', lastname: 'Shaw', company: 'Acme', lifecyclestage: 'lead', tags: 'beta;vip' }),
        props({ email: 'dave@example.com', firstname: 'Dave', lifecyclestage: 'customer', hs_email_optout: 'true' }),
        props({ email: 'otto@example.com', firstname: 'Otto', lifecyclestage: 'other' }),
      ]);
      await w.tick('mailchimp');
      await w.mc.seed('members', [
        { email_address: 'ada@example.com', merge_fields: { FNAME: 'Ada', LNAME: 'Lovelace' }, tags: ['newsletter'] },
        { email_address: 'bob@example.com', merge_fields: { FNAME: 'Robert', LNAME: 'Byron' } },
        { email_address: 'dave@example.com', merge_fields: { FNAME: 'Dave' } },
        { email_address: 'erin@example.com', merge_fields: { FNAME: 'Erin' } },
      ]);
      const report = await sync();
      expect(report.quiescent).toBe(true);
      // Dave opted out in the CRM and is subscribed in the audience; the mapping lets the audience own consent, but
      // HubSpot does not let an integration undo an opt-out: the write is refused, reported once, and not repeated.
      const daveId = (await w.contact('dave@example.com'))!.id;
      expect(bad(report)).toEqual([{
        key: expect.any(String), outcome: 'refused',
        notes: [expect.stringContaining(`hs_email_optout on hubspot ${daveId}: refused for good (validation: `)],
      }]);

      const ada = await w.member('ada@example.com');
      expect(ada?.merge_fields).toMatchObject({ FNAME: 'Ada', LNAME: 'Lovelace', PHONE: '+442071234567', COMPANY: 'Analytical', LIFECYCLE: 'lead' });
      expect(tagSet(ada?.tags)).toEqual(['newsletter', 'vip']);
      expect(tagSet((await w.contact('ada@example.com'))?.properties.tags)).toEqual(['newsletter', 'vip']);
      const carol = await w.member('carol@example.com');
      expect(carol).toMatchObject({ status: 'subscribed', merge_fields: { FNAME: 'Carol', LNAME: 'Shaw', COMPANY: 'Acme', LIFECYCLE: 'lead' } });
      expect(tagSet(carol?.tags)).toEqual(['beta', 'vip']);
      // Both edited before the first sync: the later edit (Mailchimp's) wins, on both sides.
      expect((await w.contact('bob@example.com'))?.properties.firstname).toBe('Robert');
      expect((await w.member('bob@example.com'))?.merge_fields.FNAME).toBe('Robert');
      // The marketing side owns consent, yet HubSpot keeps Dave's opt-out: only Dave can undo it there.
      expect((await w.contact('dave@example.com'))?.properties.hs_email_optout).toBe('true');
      expect((await w.member('dave@example.com'))?.status).toBe('subscribed');
      // Outside the filter, or marketing-only (create.to_left is false): not copied.
      expect(await w.member('otto@example.com')).toBeUndefined();
      expect(await w.contact('erin@example.com')).toBeUndefined();
      expect(await getStore().db.selectFrom('links').selectAll().execute()).toHaveLength(4);
    });

    it('the refused opt-out is not sent again: the next sync writes nothing and reports nothing new', async () => {
      const refusedBefore = await getStore().db.selectFrom('journal').select('id').where('state', '=', 'failed').execute();
      const again = await sync();
      expect(again.quiescent).toBe(true);
      expect(again.writes).toEqual({ left: 0, right: 0 });
      expect(bad(again)).toEqual([]);
      expect(await getStore().db.selectFrom('journal').select('id').where('state', '=', 'failed').execute()).toHaveLength(refusedBefore.length);
      expect((await w.contact('dave@example.com'))?.properties.hs_email_optout).toBe('true');
    });

    it('a change on each side reaches the other, and the next sync writes nothing back', async () => {
      const ada = (await w.contact('ada@example.com'))!;
      await w.tick('hubspot');
      await w.hs.edit('contacts', ada.id, props({ lastname: 'King' }));
      await w.tick('mailchimp');
      await w.mc.edit('members', (await w.member('bob@example.com'))!.id, { merge_fields: { PHONE: '+15550100' } });
      const report = await sync();
      expect(bad(report)).toEqual([]);
      expect((await w.member('ada@example.com'))?.merge_fields.LNAME).toBe('King');
      expect((await w.contact('bob@example.com'))?.properties.phone).toBe('+15550100');
      const again = await sync();
      expect(again.writes).toEqual({ left: 0, right: 0 });
    });

    it('settles each strategy as declared: last write wins, merge-set, one-way lifecycle', async () => {
      const ada = (await w.contact('ada@example.com'))!;
      const bob = (await w.contact('bob@example.com'))!;
      const carol = (await w.contact('carol@example.com'))!;
      // Ada: HubSpot first, Mailchimp later. Bob: Mailchimp first, HubSpot later.
      await w.tick('hubspot');
      await w.hs.edit('contacts', ada.id, props({ firstname: 'Augusta', tags: 'vip;newsletter;speaker', lifecyclestage: 'customer' }));
      await w.tick('mailchimp');
      await w.mc.edit('members', (await w.member('ada@example.com'))!.id, { merge_fields: { FNAME: 'Ada B.' } });
      await w.setMemberTags('ada@example.com', [{ name: 'newsletter', status: 'inactive' }, { name: 'donor', status: 'active' }]);
      await w.mc.edit('members', (await w.member('bob@example.com'))!.id, { merge_fields: { FNAME: 'Rob' } });
      await w.mc.edit('members', (await w.member('carol@example.com'))!.id, { merge_fields: { LIFECYCLE: 'evangelist' } });
      await w.tick('hubspot');
      await w.hs.edit('contacts', bob.id, props({ firstname: 'Bobby' }));

      const report = await sync();
      expect(bad(report)).toEqual([]);
      expect((await w.contact('ada@example.com'))?.properties.firstname).toBe('Ada B.');
      expect((await w.member('ada@example.com'))?.merge_fields.FNAME).toBe('Ada B.');
      expect((await w.contact('bob@example.com'))?.properties.firstname).toBe('Bobby');
      expect((await w.member('bob@example.com'))?.merge_fields.FNAME).toBe('Bobby');
      // merge-set: base {newsletter, vip} + speaker (HubSpot) + donor (Mailchimp) - newsletter (Mailchimp).
      expect(tagSet((await w.contact('ada@example.com'))?.properties.tags)).toEqual(['donor', 'speaker', 'vip']);
      expect(tagSet((await w.member('ada@example.com'))?.tags)).toEqual(['donor', 'speaker', 'vip']);
      // Lifecycle flows from the CRM only.
      expect((await w.member('ada@example.com'))?.merge_fields.LIFECYCLE).toBe('customer');
      expect((await w.contact('carol@example.com'))?.properties.lifecyclestage).toBe('lead');
      expect(carol.properties.lifecyclestage).toBe('lead');
    });

    it('an unsubscribe on either side reaches the other', async () => {
      await w.tick('mailchimp');
      await w.mc.edit('members', (await w.member('ada@example.com'))!.id, { status: 'unsubscribed' });
      await w.tick('hubspot');
      await w.hs.edit('contacts', (await w.contact('bob@example.com'))!.id, props({ hs_email_optout: 'true' }));
      const report = await sync();
      expect(bad(report)).toEqual([]);
      expect((await w.contact('ada@example.com'))?.properties.hs_email_optout).toBe('true');
      expect((await w.member('bob@example.com'))?.status).toBe('unsubscribed');
    });

    it('an archive in the audience archives the contact, as the delete policy says', async () => {
      await w.tick('mailchimp');
      await w.mc.remove('members', (await w.member('dave@example.com'))!.id);
      const report = await sync();
      expect(bad(report)).toEqual([]);
      expect((await w.member('dave@example.com'))?.status).toBe('archived');
      expect((await w.contact('dave@example.com'))?.archived).toBe(true);
    });

    it('a 429 storm and a 5xx burst delay the sync but lose nothing', async () => {
      await w.tick('hubspot');
      await w.hs.edit('contacts', (await w.contact('carol@example.com'))!.id, props({ lastname: 'Shaw-Brown' }));
      await w.tick('mailchimp');
      await w.mc.edit('members', (await w.member('ada@example.com'))!.id, { merge_fields: { LNAME: 'King-Noel' } });
      await w.mc.addFault({ route: '*', kind: 'rate-limit', count: 6, retryAfterSeconds: 1 });
      await w.hs.addFault({ route: '*', kind: 'error', status: 503, count: 4 });
      let report = await sync();
      for (let i = 0; i < 3 && bad(report).length > 0; i++) report = await sync();
      expect(bad(report)).toEqual([]);
      expect((await w.member('carol@example.com'))?.merge_fields.LNAME).toBe('Shaw-Brown');
      expect((await w.contact('ada@example.com'))?.properties.lastname).toBe('King-Noel');
      const left = async (admin: World['hs']) => ((await admin.call<{ result: Array<{ count?: number }> }>('GET', 'faults')).body.result ?? [])
        .reduce((n, r) => n + (r.count ?? 0), 0);
      expect(await left(w.hs)).toBe(0);
      expect(await left(w.mc)).toBe(0);
    });

    it('the journal and the audit log hold every write, and the audit chain verifies', async () => {
      const db = getStore().db;
      const journal = await db.selectFrom('journal').select(['id', 'state', 'system', 'op']).execute();
      const written = reports.reduce((n, r) => n + r.writes.left + r.writes.right, 0);
      expect(journal.filter((j) => j.state === 'applied')).toHaveLength(written);
      expect(journal.filter((j) => j.state === 'intent' || j.state === 'unknown')).toEqual([]);
      const audited = new Set((await db.selectFrom('audit').select('journal_id').execute()).map((a) => a.journal_id));
      expect(journal.filter((j) => j.state === 'applied' && !audited.has(j.id))).toEqual([]);
      expect((await verifyAuditChain(db)).ok).toBe(true);
    });

    it('a rollback of a run restores the values the run overwrote, and leaves the users’ own edits', async () => {
      const before = { mcCompany: (await w.member('ada@example.com'))?.merge_fields.COMPANY, hsPhone: (await w.contact('bob@example.com'))?.properties.phone };
      await w.tick('hubspot');
      await w.hs.edit('contacts', (await w.contact('ada@example.com'))!.id, props({ company: 'Engines Ltd' }));
      await w.tick('mailchimp');
      await w.mc.edit('members', (await w.member('bob@example.com'))!.id, { merge_fields: { PHONE: '+15550199' } });
      const run = await sync();
      expect((await w.member('ada@example.com'))?.merge_fields.COMPANY).toBe('Engines Ltd');
      expect((await w.contact('bob@example.com'))?.properties.phone).toBe('+15550199');

      const undone = await rollback(w.deps, { batchId: run.batchId });
      expect(undone.failed).toEqual([]);
      expect(undone.changedSince).toEqual([]);
      expect((await w.member('ada@example.com'))?.merge_fields.COMPANY).toBe(before.mcCompany);
      expect((await w.contact('bob@example.com'))?.properties.phone).toBe(before.hsPhone);
      expect((await w.contact('ada@example.com'))?.properties.company).toBe('Engines Ltd');
      expect((await w.member('bob@example.com'))?.merge_fields.PHONE).toBe('+15550199');
      const states = await getStore().db.selectFrom('journal').select('state').where('batch_id', '=', run.batchId).execute();
      expect(states.length).toBeGreaterThan(0);
      expect(states.every((s) => s.state === 'rolled-back')).toBe(true);
    });
  });
});
