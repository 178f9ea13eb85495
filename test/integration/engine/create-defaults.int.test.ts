import { expect, it } from 'vitest';
import type { WriteOp } from '../../../src/connectors/contract.js';
import { describeEachDialect } from '../../support/db.js';
import { processItems } from '../../../src/engine/process/process-items.js';
import { asBatchId } from '../../../src/shared/ids.js';
import { createFixture } from './engine-fixture.js';

const contacts = {
  match: { left: 'email', right: 'email_address', normalize: 'email' },
  create: { to_right: true, to_left: false },
  fields: [
    { left: 'email', right: 'email_address', direction: 'both', conflict: 'prefer-left' },
    { left: 'firstname', right: 'fname', direction: 'both', conflict: 'last-write-wins' },
    { left: 'optout', right: 'status', direction: 'both', conflict: 'prefer-right', transform: { map: { 'true': 'unsubscribed', 'false': 'subscribed' } } },
  ],
};

describeEachDialect('a created record the target fills in itself', (getStore) => {
  function fixtureWithDefault() {
    const f = createFixture(getStore, { mapping: contacts });
    // Like Mailchimp, the target gives a new member a status of its own when the create carries none.
    const write = f.right.write.bind(f.right);
    f.right.write = (object: string, ops: WriteOp[], ctx) => write(object, ops.map((op) =>
      op.kind === 'create' && op.fields['status'] === undefined ? { ...op, fields: { ...op.fields, status: 'subscribed' } } : op), ctx);
    return f;
  }

  it('one pass creates the record and brings the value the target filled in back to the source', async () => {
    const f = fixtureWithDefault();
    const l = f.left.put('contacts', { email: 'new@x.io', firstname: 'Nia' });
    const { results } = await processItems(f.deps, [{ side: 'left', id: l.id }], asBatchId('b-create'));
    expect(results.every((r) => r.outcome === 'committed')).toBe(true);
    const member = f.right.all('members')[0]!;
    expect(member.fields).toMatchObject({ email_address: 'new@x.io', fname: 'Nia', status: 'subscribed' });
    expect(f.left.record('contacts', l.id)?.fields.optout).toBe('false');
    const audit = await f.deps.store.listAudit({ pair: f.pair, field: 'optout' });
    expect(audit).toEqual([expect.objectContaining({ system: 'crm', new: 'false', reason: 'propagated' })]);

    // Both sides agree now: the echo of either write writes nothing.
    const writes = f.left.writeCalls.length + f.right.writeCalls.length;
    const echo = await processItems(f.deps, [{ side: 'right', id: member.id }, { side: 'left', id: l.id }], asBatchId('b-echo'));
    expect(echo.results.flatMap((r) => r.plan.writes)).toEqual([]);
    expect(f.left.writeCalls.length + f.right.writeCalls.length).toBe(writes);
  });

  it('a create whose every mapped field was sent needs no second look', async () => {
    const f = fixtureWithDefault();
    const l = f.left.put('contacts', { email: 'full@x.io', firstname: 'Flo', optout: true });
    const reads = () => f.left.getCalls.length + f.right.getCalls.length;
    await processItems(f.deps, [{ side: 'left', id: l.id }], asBatchId('b-full'));
    expect(f.right.all('members')[0]!.fields.status).toBe('unsubscribed');
    expect(reads()).toBe(1);
  });
});
