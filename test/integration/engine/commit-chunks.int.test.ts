/**
 * Items of a group are committed several to a transaction; an item whose bookkeeping cannot be committed fails
 * alone (its intent stays open, and recovery settles it) and the others of its transaction are committed.
 */
import { expect, it } from 'vitest';
import type { EngineStore } from '../../../src/engine/state/engine-store.js';
import { syncPair } from '../../../src/engine/sync/sync-pair.js';
import { describeEachDialect } from '../../support/db.js';
import { createFixture } from './engine-fixture.js';

const mapping = {
  match: { left: 'email', right: 'email_address', normalize: 'email' },
  create: { to_right: true, to_left: false },
  fields: [{ left: 'name', right: 'full_name', direction: 'both', conflict: 'last-write-wins' }],
};

/**
 * The store, in every transaction too, with `insertLink` and `insertLinks` refusing the first two links of left
 * record `leftId`: in the chunk's transaction, then in the item's own.
 */
function refusingLinksOf(store: EngineStore, leftId: string, refusals = { left: 2 }): EngineStore {
  return new Proxy(store, {
    get(target, prop, receiver) {
      if (prop === 'insertLink') {
        return (link: { leftId: string }) => {
          if (link.leftId === leftId && refusals.left > 0) {
            refusals.left -= 1;
            throw new Error(`link of ${leftId} refused`);
          }
          return target.insertLink(link as never);
        };
      }
      if (prop === 'insertLinks') {
        return (links: Array<{ leftId: string }>) => {
          if (links.some((l) => l.leftId === leftId) && refusals.left > 0) {
            refusals.left -= 1;
            throw new Error(`link of ${leftId} refused`);
          }
          return target.insertLinks(links as never);
        };
      }
      if (prop === 'transaction') {
        return <T>(fn: (tx: EngineStore) => Promise<T>) => target.transaction((tx) => fn(refusingLinksOf(tx, leftId, refusals)));
      }
      const v = Reflect.get(target, prop, receiver) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}

describeEachDialect('commits in chunks', (getStore) => {
  it('an item whose commit fails fails alone; the others of its transaction are committed', async () => {
    const f = createFixture(getStore, { mapping });
    const people = Array.from({ length: 5 }, (_, i) => f.left.put('contacts', { email: `p${i}@example.com`, name: `P${i}` }));
    const bad = people[2]!;
    const deps = { ...f.deps, store: refusingLinksOf(f.deps.store, bad.id) };

    const report = await syncPair({ ...deps, maxStaleRetries: 0 }, { maxPasses: 1 });
    expect(report.counts.committed).toBe(4);
    expect(report.counts.failed).toBe(1);
    expect(f.right.createCount('members')).toBe(5);
    // Its create went out: recovery, at the end of the pass, read the target and linked the two.
    expect(report.recovery?.applied).toHaveLength(1);
    for (const p of people) expect((await f.deps.store.findLinkBySide(f.pair, 'left', p.id))?.leftId).toBe(p.id);
    expect((await f.deps.store.listJournal({ pair: f.pair })).filter((j) => j.state === 'intent')).toEqual([]);
  });
});
