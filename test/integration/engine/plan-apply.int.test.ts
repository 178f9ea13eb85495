import { expect, it } from 'vitest';
import { describeEachDialect } from '../../support/db.js';
import { applyPlan, makePlan, parsePlanDocument } from '../../../src/engine/plan/plan-document.js';
import { syncPair } from '../../../src/engine/sync/sync-pair.js';
import { createFixture } from './engine-fixture.js';

const mapping = {
  match: { left: 'email', right: 'email_address', normalize: 'email' },
  create: { to_right: true },
  fields: [
    { left: 'email', right: 'email_address', direction: 'both', conflict: 'prefer-left' },
    { left: 'city', right: 'town', direction: 'both', conflict: 'last-write-wins' },
  ],
};

describeEachDialect('plan and apply', (getStore) => {
  it('a plan shows links, creates and field updates, writes nothing, and apply carries it out from JSON', async () => {
    const f = createFixture(getStore, { mapping });
    f.left.put('contacts', { email: 'new@x.io', city: 'Kyiv' });
    f.left.put('contacts', { email: 'Old@x.io', city: 'Riga' });
    f.right.put('members', { email_address: 'old@x.io', town: 'Tartu' });
    const plan = await makePlan(f.deps);
    expect(f.right.writeCalls).toHaveLength(0);
    expect(await f.deps.store.listLinks(f.pair)).toHaveLength(0);
    expect(plan.summary).toMatchObject({ links: 1, creates: 1, updates: 1 });
    const json = JSON.stringify(plan);
    const res = await applyPlan(f.deps, parsePlanDocument(json, 'plan.json'));
    expect(res.refused).toEqual([]);
    expect(f.right.all('members').map((m) => m.fields).sort((a, b) => String(a.email_address).localeCompare(String(b.email_address)))).toEqual([
      { email_address: 'new@x.io', town: 'Kyiv' },
      { email_address: 'Old@x.io', town: expect.any(String) },
    ]);
    expect(await f.deps.store.listLinks(f.pair)).toHaveLength(2);
  });

  it('apply refuses the part whose record changed since the plan, and carries out the rest', async () => {
    const f = createFixture(getStore, { mapping });
    const a = f.left.put('contacts', { email: 'a@x.io', city: 'A' });
    f.left.put('contacts', { email: 'b@x.io', city: 'B' });
    const plan = await makePlan(f.deps);
    f.left.edit('contacts', a.id, { city: 'A2' });
    const res = await applyPlan(f.deps, parsePlanDocument(JSON.stringify(plan), 'plan.json'));
    expect(res.refused).toEqual([{ key: `left:${a.id}`, why: expect.stringContaining('changed since the plan') }]);
    expect(f.right.all('members').map((m) => m.fields.email_address)).toEqual(['b@x.io']);
    // Applying the same plan again refuses everything: nothing is created twice.
    const again = await applyPlan(f.deps, parsePlanDocument(JSON.stringify(plan), 'plan.json'));
    expect(again.applied).toEqual([]);
    expect(f.right.createCount('members')).toBe(1);
  });

  it('apply refuses a create when a record with the same match key appeared on the target since the plan', async () => {
    const f = createFixture(getStore, { mapping });
    const a = f.left.put('contacts', { email: 'late@x.io', city: 'A' });
    const plan = await makePlan(f.deps);
    f.right.put('members', { email_address: 'late@x.io', town: 'B' });
    const res = await applyPlan(f.deps, parsePlanDocument(JSON.stringify(plan), 'plan.json'));
    expect(res.refused).toEqual([{ key: `left:${a.id}`, why: expect.stringContaining('appeared since the plan') }]);
    expect(f.right.createCount('members')).toBe(0);
  });

  it('a file that is not a plan is refused with a coded error', () => {
    expect(() => parsePlanDocument('{"kind":"other"}', 'x.json')).toThrow(expect.objectContaining({ code: 'CONCORD_ERR_ENGINE_PLAN_INVALID' }));
  });

  it('audit verify holds after syncs, and finds an edited row', async () => {
    const f = createFixture(getStore, { mapping });
    f.left.put('contacts', { email: 'v@x.io', city: 'V' });
    await syncPair(f.deps);
    expect(await f.deps.store.verifyAudit()).toMatchObject({ ok: true });
    const db = getStore().db;
    const row = await db.selectFrom('audit').select('seq').where('pair', '=', f.pair).executeTakeFirstOrThrow();
    await db.updateTable('audit').set({ new_value: '"tampered"' }).where('seq', '=', row.seq).execute();
    expect(await f.deps.store.verifyAudit()).toMatchObject({ ok: false, seq: row.seq, reason: 'edited' });
    await db.updateTable('audit').set({ new_value: '"V"' }).where('seq', '=', row.seq).execute();
  });
});
