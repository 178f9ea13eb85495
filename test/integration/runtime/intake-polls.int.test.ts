import { expect, it } from 'vitest';
import type { HttpClient } from '../../../src/connectors/http/http-types.js';
import { syncPair } from '../../../src/engine/sync/sync-pair.js';
import { createIntakePollJobs, intakesOf } from '../../../src/runtime/daemon/intake-polls.js';
import { silentLogger } from '../../../src/shared/logger.js';
import { insertInboxEvents } from '../../../src/store/inbox.js';
import { describeEachDialect, type GetStore } from '../../support/db.js';
import { createFixture, type Fixture } from '../engine/engine-fixture.js';

const contacts = {
  match: { left: 'email', right: 'email_address', normalize: 'email' },
  create: { to_right: true, to_left: false },
  fields: [
    { left: 'email', right: 'email_address', direction: 'both', conflict: 'prefer-left' },
    { left: 'firstname', right: 'merge_fields.FNAME', direction: 'both', conflict: 'last-write-wins' },
  ],
};

/** The poll job of the fixture's left side (`crm`), on the test's store. */
function crmPoll(f: Fixture, getStore: GetStore) {
  const jobs = createIntakePollJobs({
    db: getStore().db,
    clock: f.clock, log: silentLogger,
    connection: (system) => ({ connector: system === 'crm' ? f.left : f.right, http: {} as HttpClient }),
  }, intakesOf([f.mapping], () => true));
  return jobs.find((j) => j.object.startsWith('crm/'))!;
}

describeEachDialect('intake poll', (getStore) => {
  it('counts as changes only records not at the version Concord last agreed on, across many pages', async () => {
    const f = createFixture(getStore, { mapping: contacts });
    const people = Array.from({ length: 120 }, (_, i) => f.left.put('contacts', { email: `p${i}@example.com`, firstname: `P${i}` }));
    const report = await syncPair(f.deps);
    expect(report.quiescent).toBe(true);
    const crm = crmPoll(f, getStore);
    // Every contact is where the first sync left it: read again, none is news.
    expect((await crm.pollOnce(new AbortController().signal)).changes).toBe(0);

    f.clock.advance(1000);
    f.left.edit('contacts', people[7]!.id, { firstname: 'Edited' });
    f.left.edit('contacts', people[101]!.id, { firstname: 'Edited too' });
    f.left.put('contacts', { email: 'new@example.com', firstname: 'New' });
    const outcome = await crm.pollOnce(new AbortController().signal);
    expect(outcome.changes).toBe(3);
    // The same versions read again are not counted twice.
    expect((await crm.pollOnce(new AbortController().signal)).changes).toBe(0);
  });
});

// A store of its own: the records' ids and versions repeat those of the block above.
describeEachDialect('intake poll and webhooks', (getStore) => {
  it('counts for the dead-man\'s switch only the changes no webhook announced', async () => {
    const f = createFixture(getStore, { mapping: contacts });
    const people = Array.from({ length: 3 }, (_, i) => f.left.put('contacts', { email: `a${i}@example.com`, firstname: `A${i}` }));
    expect((await syncPair(f.deps)).quiescent).toBe(true);
    const crm = crmPoll(f, getStore);
    await crm.pollOnce(new AbortController().signal);

    f.clock.advance(1000);
    // A webhook told of the first person's edit; the other two changed without one.
    await insertInboxEvents(getStore().db, [
      { system: 'crm', object: 'contacts', remoteId: people[0]!.id, eventId: 'wh-1', kind: 'upsert' },
    ], f.clock.now());
    for (const p of people) f.left.edit('contacts', p.id, { firstname: 'Edited' });
    const outcome = await crm.pollOnce(new AbortController().signal);
    expect(outcome).toMatchObject({ changes: 3, unannounced: 2 });
  });
});
