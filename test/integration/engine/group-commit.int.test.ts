/**
 * A group of items committed in one transaction leaves the same audit chain, journal, links and bases as the same
 * items committed one per transaction: the same sync run twice, on two pairs of one database, once with groups of
 * 100 and once with groups of 1, compared row by row (ids that are random by design put aside).
 */
import { expect, it } from 'vitest';
import type { EngineDeps } from '../../../src/engine/engine-deps.js';
import { syncPair } from '../../../src/engine/sync/sync-pair.js';
import { describeEachDialect } from '../../support/db.js';
import type { StoreDatabase } from '../../../src/store/database.js';
import { createFixture, type Fixture } from './engine-fixture.js';

const mapping = {
  match: { left: 'email', right: 'email_address', normalize: 'email' },
  create: { to_right: true, to_left: false },
  fields: [
    { left: 'name', right: 'full_name', direction: 'both', conflict: 'last-write-wins' },
    { left: 'city', right: 'town', direction: 'both', conflict: 'last-write-wins' },
  ],
};

/** Two syncs: the first creates and matches, the second updates linked records on both sides, one write failing. */
async function run(f: Fixture, deps: EngineDeps): Promise<void> {
  const people = Array.from({ length: 8 }, (_, i) => f.left.put('contacts', { email: `p${i}@example.com`, name: `P${i}`, city: `C${i}` }));
  // Matched: one agrees, one differs in a field (an update on the first pass).
  f.right.put('members', { email_address: 'p0@example.com', full_name: 'P0', town: 'C0' });
  f.right.put('members', { email_address: 'p1@example.com', full_name: 'Other', town: 'C1' });
  f.right.failOn({ kind: 'validation', match: (op) => op.kind === 'create' && op.fields.email_address === 'p5@example.com' });
  const first = await syncPair(deps, { maxPasses: 1 });
  expect(first.counts.committed).toBeGreaterThan(4);

  f.clock.advance(60_000);
  for (const p of people.slice(2, 5)) f.left.edit('contacts', p.id, { name: `${p.fields.name as string} edited` });
  const linked = await deps.store.findLinkBySide(f.pair, 'left', people[6]!.id);
  f.right.edit('members', linked!.rightId, { town: 'Elsewhere' });
  f.right.failOn({ kind: 'retryable', match: (op) => op.kind === 'update' && op.fields.full_name === 'P3 edited', times: 10 });
  await syncPair({ ...deps, maxStaleRetries: 0 }, { maxPasses: 1 });
}

/** What the sync left in the store for the fixture's pair, with random ids replaced by what they stand for. */
async function outcome(store: StoreDatabase, f: Fixture) {
  const links = await f.deps.store.listLinks(f.pair);
  const linkName = new Map(links.map((l) => [l.id as string, `${l.leftId}~${l.rightId}`]));
  const journal = await store.db.selectFrom('journal').selectAll().where('pair', '=', f.pair).execute();
  const journalName = new Map(journal.map((j) => [j.id, `${j.system}/${j.remote_id ?? '(new)'} ${j.op} ${j.before_json ?? ''}`]));
  const audit = await store.db.selectFrom('audit').selectAll().where('pair', '=', f.pair).orderBy('seq').execute();
  const bases = await f.deps.store.loadBases(links.map((l) => l.id));
  return {
    links: links.map((l) => linkName.get(l.id)).sort(),
    journal: journal.map(({ id: _id, idempotency_key: _key, batch_id: _batch, pair: _pair, link_id, ...rest }) => ({
      ...rest, link: link_id === null ? null : linkName.get(link_id) ?? 'gone',
    })).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
    audit: audit.map(({ seq: _seq, prev_hash: _prev, hash: _hash, batch_id: _batch, pair: _pair, link_id, journal_id, ...rest }) => ({
      ...rest, link: link_id === null ? null : linkName.get(link_id) ?? 'gone', journal: journal_id === null ? null : journalName.get(journal_id),
    })),
    bases: links.map((l) => [linkName.get(l.id), bases.get(l.id)] as const).sort(([a], [b]) => (a! < b! ? -1 : 1)),
  };
}

describeEachDialect('items committed in groups', (getStore) => {
  it('leave the same audit chain, journal, links and bases as items committed one by one', async () => {
    const grouped = createFixture(getStore, { mapping });
    const alone = createFixture(getStore, { mapping });
    await run(grouped, grouped.deps);
    await run(alone, { ...alone.deps, commitGroupSize: 1 });

    expect(await grouped.deps.store.verifyAudit()).toMatchObject({ ok: true });
    const a = await outcome(getStore(), grouped);
    const b = await outcome(getStore(), alone);
    // The create refused on the first pass is made on the second.
    expect(a.links).toHaveLength(8);
    expect(a.audit.length).toBeGreaterThan(10);
    expect(a.journal.map((j) => j.state)).toEqual(expect.arrayContaining(['applied', 'failed']));
    expect(a).toEqual(b);
    expect(a.bases.every(([, base]) => base !== undefined)).toBe(true);
  });
});
