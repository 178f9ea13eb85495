import { expect, it } from 'vitest';
import { describeEachDialect } from '../../support/db.js';
import { syncPair } from '../../../src/engine/sync/sync-pair.js';
import { createFixture, linkedRecord } from './engine-fixture.js';

function mapping(policy: string) {
  return {
    match: { left: 'email', right: 'email_address', normalize: 'email' },
    create: { to_right: true },
    delete: policy,
    fields: [{ left: 'email', right: 'email_address', direction: 'both' }, { left: 'city', right: 'town', direction: 'both' }],
  };
}

describeEachDialect('deletes follow the delete policy', (getStore) => {
  async function linkedThenDeletedOnLeft(policy: string, rightDelete: 'delete' | 'archive' | 'none' = 'archive') {
    const f = createFixture(getStore, { mapping: mapping(policy), rightCapabilities: { delete: rightDelete } });
    const { l, r } = await linkedRecord(f, { email: 'd@x.io', city: 'Oslo' });
    f.left.remove('contacts', l.id);
    await syncPair(f.deps);
    return { f, l, r };
  }

  it('archive: the right record is archived, audited as deleted, and the link removed', async () => {
    const { f, l, r } = await linkedThenDeletedOnLeft('archive');
    expect(f.right.record('members', r.id)?.deleted).toBe(true);
    expect(await f.deps.store.findLinkBySide(f.pair, 'left', l.id)).toBeUndefined();
    const audit = await f.deps.store.listAudit({ pair: f.pair, record: r.id });
    expect(audit.at(-1)).toMatchObject({ reason: 'deleted', field: '*', strategy: 'delete policy archive' });
  });

  it('archive on a system that can only delete for good: nothing is destroyed, the link goes', async () => {
    const { f, l, r } = await linkedThenDeletedOnLeft('archive', 'delete');
    expect(f.right.record('members', r.id)?.deleted).toBeUndefined();
    expect(await f.deps.store.findLinkBySide(f.pair, 'left', l.id)).toBeUndefined();
  });

  it('unlink: the right record stays, the link goes', async () => {
    const { f, l, r } = await linkedThenDeletedOnLeft('unlink');
    expect(f.right.record('members', r.id)?.deleted).toBeUndefined();
    expect(await f.deps.store.findLinkBySide(f.pair, 'left', l.id)).toBeUndefined();
  });

  it('ignore: the right record and the link stay', async () => {
    const { f, l, r } = await linkedThenDeletedOnLeft('ignore');
    expect(f.right.record('members', r.id)?.deleted).toBeUndefined();
    expect((await f.deps.store.findLinkBySide(f.pair, 'left', l.id))?.rightId).toBe(r.id);
  });
});
