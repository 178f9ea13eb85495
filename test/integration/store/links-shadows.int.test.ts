import { expect, it } from 'vitest';
import {
  deleteLink, findLinkBySide, findLinksBySide, getLink, loadShadow, loadShadows, saveShadow, upsertLink, withTransaction,
} from '../../../src/store/index.js';
import { describeEachDialect } from '../../support/db.js';

const now = new Date('2026-03-01T10:00:00.000Z');

describeEachDialect('links', (getStore) => {
  it('links two records once; linking them again returns the same link', async () => {
    const { db } = getStore();
    const first = await upsertLink(db, { pair: 'p-same', leftId: 'L1', rightId: 'R1', matchKey: 'a@x.io', now });
    const again = await upsertLink(db, { pair: 'p-same', leftId: 'L1', rightId: 'R1', matchKey: 'a@x.io', now });
    expect(first).toMatchObject({ ok: true, isNew: true });
    expect(again).toMatchObject({ ok: true, isNew: false });
    if (!first.ok || !again.ok) throw new Error('unreachable');
    expect(again.link.id).toBe(first.link.id);
    expect(await findLinkBySide(db, 'p-same', 'left', 'L1')).toEqual(first.link);
    expect(await findLinkBySide(db, 'p-same', 'right', 'R1')).toEqual(first.link);
    expect(await getLink(db, first.link.id)).toEqual(first.link);
  });

  it('refuses to link a record already linked to another one, naming the side and the existing link', async () => {
    const { db } = getStore();
    await upsertLink(db, { pair: 'p-taken', leftId: 'L1', rightId: 'R1', now });
    const leftTaken = await upsertLink(db, { pair: 'p-taken', leftId: 'L1', rightId: 'R2', now });
    const rightTaken = await upsertLink(db, { pair: 'p-taken', leftId: 'L2', rightId: 'R1', now });
    expect(leftTaken).toMatchObject({ ok: false, reason: 'left-linked-elsewhere', existing: { leftId: 'L1', rightId: 'R1' } });
    expect(rightTaken).toMatchObject({ ok: false, reason: 'right-linked-elsewhere', existing: { leftId: 'L1', rightId: 'R1' } });
    // Same ids in another pair are another matter.
    expect(await upsertLink(db, { pair: 'p-taken-2', leftId: 'L1', rightId: 'R2', now })).toMatchObject({ ok: true, isNew: true });
  });

  it('the database itself refuses a second link of one side in a pair', async () => {
    const { db } = getStore();
    const row = { pair: 'p-raw', left_id: 'L1', right_id: 'R1', match_key: null, created_at: now.toISOString(), updated_at: now.toISOString() };
    await db.insertInto('links').values({ id: 'raw-1', ...row }).execute();
    await expect(db.insertInto('links').values({ id: 'raw-2', ...row, right_id: 'R9' }).execute()).rejects.toThrow();
    await expect(db.insertInto('links').values({ id: 'raw-3', ...row, left_id: 'L9' }).execute()).rejects.toThrow();
  });

  it('finds the links of many records of one side at once', async () => {
    const { db } = getStore();
    for (let i = 0; i < 5; i++) await upsertLink(db, { pair: 'p-many', leftId: `L${i}`, rightId: `R${i}`, now });
    const found = await findLinksBySide(db, 'p-many', 'right', ['R1', 'R3', 'R-none']);
    expect([...found.keys()].sort()).toEqual(['R1', 'R3']);
    expect(found.get('R3' as never)?.leftId).toBe('L3');
  });
});

describeEachDialect('shadows', (getStore) => {
  it('keeps the base per field, telling an absent value from null, and replaces only the fields saved', async () => {
    const { db } = getStore();
    const res = await upsertLink(db, { pair: 's-base', leftId: 'L1', rightId: 'R1', now });
    if (!res.ok) throw new Error('link failed');
    const id = res.link.id;
    const field = (name: string, baseLeft: unknown, baseRight: unknown) => ({
      field: name, baseLeft, baseRight, leftVersion: 'v1', rightVersion: 'w1',
      leftChangedAt: '2026-03-01T09:00:00.000Z', rightChangedAt: null,
    });
    await withTransaction(db, (trx) => saveShadow(trx, id, {
      record: { leftVersion: 'v1', leftModifiedAt: '2026-03-01T09:00:00.000Z', rightVersion: 'w1', rightModifiedAt: null },
      fields: [field('name', 'Ada', 'Ada'), field('phone', null, undefined), field('tags', ['a', 'b'], ['a', 'b'])],
    }, now));
    await saveShadow(db, id, { fields: [field('name', 'Ada L.', 'Ada L.')] }, now);

    const shadow = await loadShadow(db, id);
    expect(shadow.record).toEqual({ leftVersion: 'v1', leftModifiedAt: '2026-03-01T09:00:00.000Z', rightVersion: 'w1', rightModifiedAt: null });
    expect(shadow.fields.get('name')?.baseLeft).toBe('Ada L.');
    expect(shadow.fields.get('phone')?.baseLeft).toBeNull();
    expect(shadow.fields.get('phone')?.baseRight).toBeUndefined();
    expect(shadow.fields.get('tags')?.baseRight).toEqual(['a', 'b']);
    expect(shadow.fields.get('tags')?.leftChangedAt).toBe('2026-03-01T09:00:00.000Z');
  });

  it('a link without a base yet has an empty shadow, and removing a link removes its shadow', async () => {
    const { db } = getStore();
    const res = await upsertLink(db, { pair: 's-del', leftId: 'L1', rightId: 'R1', now });
    if (!res.ok) throw new Error('link failed');
    const empty = await loadShadows(db, [res.link.id]);
    expect(empty.get(res.link.id)).toEqual({ linkId: res.link.id, record: undefined, fields: new Map() });
    await saveShadow(db, res.link.id, { fields: [{ field: 'x', baseLeft: 1, baseRight: 1, leftVersion: null, rightVersion: null, leftChangedAt: null, rightChangedAt: null }] }, now);
    expect(await deleteLink(db, res.link.id)).toBe(true);
    const left = await db.selectFrom('shadows').selectAll().where('link_id', '=', res.link.id).execute();
    expect(left).toEqual([]);
  });
});
