/**
 * A listing may leave out per-field change times that a read by id gives (HubSpot's search has no property
 * history). A listed record serves as the read, except where a conflict is settled by time: then the record is read
 * by id and the conflict is settled on the field's own change times, not on the record's.
 */
import { expect, it } from 'vitest';
import type { ChangePage, Connector } from '../../../src/connectors/contract.js';
import { syncPair } from '../../../src/engine/sync/sync-pair.js';
import { describeEachDialect } from '../../support/db.js';
import { createFixture, linkedRecord } from './engine-fixture.js';

const mapping = {
  match: { left: 'email', right: 'email_address', normalize: 'email' },
  create: { to_right: true, to_left: false },
  fields: [{ left: 'name', right: 'full_name', direction: 'both', conflict: 'last-write-wins' }],
};

/** The connector's listing without the per-field times its reads carry. */
function listWithoutFieldTimes(connector: Connector): void {
  const list = connector.listChanged.bind(connector);
  connector.listChanged = async function* (object, cursor, ctx): AsyncIterable<ChangePage> {
    for await (const page of list(object, cursor, ctx)) {
      yield { ...page, records: page.records.map(({ fieldTimes: _dropped, ...record }) => record) };
    }
  };
}

describeEachDialect('listed records and per-field change times', (getStore) => {
  it('a conflict settled by last-write-wins on a listed record without field times reads it and goes by the field times', async () => {
    const f = createFixture(getStore, { mapping, fieldTimes: true });
    listWithoutFieldTimes(f.left);
    const { l, r } = await linkedRecord(f, { email: 'ann@example.com', name: 'Ann' });
    // Left changes the name first; right changes it later; then left changes an unmapped field, which moves the
    // left record's time past the right's change. By field times the right name is the later write.
    f.clock.advance(1_000);
    f.left.edit('contacts', l.id, { name: 'Ann Left' });
    f.clock.advance(1_000);
    f.right.edit('members', r.id, { full_name: 'Ann Right' });
    f.clock.advance(1_000);
    f.left.edit('contacts', l.id, { notes: 'called' });
    const readsBefore = f.left.getCalls.length;

    const report = await syncPair(f.deps);
    expect(report.quiescent).toBe(true);
    expect(f.left.record('contacts', l.id)?.fields.name).toBe('Ann Right');
    expect(f.right.record('members', r.id)?.fields.full_name).toBe('Ann Right');
    expect(f.left.getCalls.slice(readsBefore).flatMap((c) => c.ids)).toContain(l.id);
  });

  it('a listed record whose change needs no time to settle is not read by id', async () => {
    const f = createFixture(getStore, { mapping, fieldTimes: true });
    listWithoutFieldTimes(f.left);
    const { l, r } = await linkedRecord(f, { email: 'bea@example.com', name: 'Bea' });
    f.clock.advance(1_000);
    f.left.edit('contacts', l.id, { name: 'Beatrice' });
    const readsBefore = f.left.getCalls.length;

    await syncPair(f.deps);
    expect(f.right.record('members', r.id)?.fields.full_name).toBe('Beatrice');
    expect(f.left.getCalls.slice(readsBefore).flatMap((c) => c.ids)).not.toContain(l.id);
  });
});
