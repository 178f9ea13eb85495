/** The write half of the contract: batch limits, one result per op, concurrency, write errors. */
import { describe, expect, it } from 'vitest';
import type { WriteOp } from '../../src/connectors/contract.js';
import { isConcordError } from '../../src/shared/errors/index.js';
import type { ContractSubject } from './contract-subject.js';
import { emails, useHarness } from './use-harness.js';

const create = (ref: string, fields: Record<string, unknown>): WriteOp => ({ kind: 'create', ref, fields, idempotencyKey: `k-${ref}` });

export function describeWriteContract(subject: ContractSubject): void {
  describe(`${subject.system}: writes`, () => {
    const { h, admin } = useHarness(subject);

    it('writes a full batch of maxWriteBatch creates with one ok result per op, in op order', async () => {
      const max = h().connector.capabilities.maxWriteBatch;
      const list = emails(max, 'full');
      const ops = list.map((e, i) => create(`c${i}`, h().createFields(e, `N${i}`)));
      const results = await h().connector.write(h().object, ops, h().ctx);
      expect(results.map((r) => r.ref)).toEqual(ops.map((o) => o.ref));
      expect(results.filter((r) => !r.ok)).toEqual([]);
      const found = await h().connector.find(h().object, h().matchField, list.slice(0, 3), h().ctx);
      expect(found).toHaveLength(3);
      for (const [i, r] of results.entries()) if (r.ok) expect(h().nameOf(r.record)).toBe(`N${i}`);
    });

    it('refuses a write of more than maxWriteBatch ops before sending anything, or splits it with one result per op', async () => {
      const max = h().connector.capabilities.maxWriteBatch;
      const ops = emails(max + 1, 'over').map((e, i) => create(`o${i}`, h().createFields(e, `O${i}`)));
      let outcome: 'refused' | 'split';
      try {
        const results = await h().connector.write(h().object, ops, h().ctx);
        expect(results.map((r) => r.ref)).toEqual(ops.map((o) => o.ref));
        outcome = 'split';
      } catch (err) {
        expect(isConcordError(err) && err.code).toBe('CONCORD_ERR_CONNECTOR_BATCH_TOO_LARGE');
        outcome = 'refused';
      }
      if (outcome === 'refused') expect(await admin().records(h().object)).toEqual([]);
      else expect(await admin().records(h().object)).toHaveLength(max + 1);
    });

    it('gives each op its own result: one invalid create and one missing id do not fail the others', async () => {
      const [existing] = await admin().seed(h().object, [h().seedRecord('kept@example.com', 'Before')]);
      const ops: WriteOp[] = [
        create('good', h().createFields('new-one@example.com', 'New')),
        create('invalid', h().invalidCreateFields('invalid-one@example.com')),
        { kind: 'update', ref: 'missing', id: h().absentId, fields: h().updateFields('Nobody'), idempotencyKey: 'k-missing' },
        { kind: 'update', ref: 'update', id: existing!, fields: h().updateFields('After'), idempotencyKey: 'k-update' },
      ];
      const results = await h().connector.write(h().object, ops, h().ctx);
      expect(results.map((r) => r.ref)).toEqual(['good', 'invalid', 'missing', 'update']);
      const [good, invalid, missing, update] = results;
      expect(good).toMatchObject({ ok: true });
      expect(invalid).toMatchObject({ ok: false, error: { kind: 'validation' } });
      expect(missing).toMatchObject({ ok: false, error: { kind: 'not-found' } });
      expect(update).toMatchObject({ ok: true });
      const after = await h().connector.get(h().object, [existing!], h().ctx);
      expect(h().nameOf(after.get(existing!)!)).toBe('After');
      expect(await h().connector.find(h().object, h().matchField, ['new-one@example.com'], h().ctx)).toHaveLength(1);
    });

    it('honours the declared concurrency: a stale version is refused where optimistic concurrency is declared, applied otherwise', async () => {
      const [id] = await admin().seed(h().object, [h().seedRecord('stale@example.com', 'V1')]);
      const read = (await h().connector.get(h().object, [id!], h().ctx)).get(id!)!;
      await admin().advanceClock(2_000);
      await admin().edit(h().object, id!, h().userEdit('UserEdit'));
      const [result] = await h().connector.write(h().object, [
        { kind: 'update', ref: 'u', id: id!, fields: h().updateFields('Ours'), ifVersion: read.version, idempotencyKey: 'k-u' },
      ], h().ctx);
      const now = (await h().connector.get(h().object, [id!], h().ctx)).get(id!)!;
      if (h().connector.capabilities.optimisticConcurrency) {
        expect(result).toMatchObject({ ok: false, error: { kind: 'stale-version' } });
        expect(h().nameOf(now)).toBe('UserEdit');
      } else {
        expect(result).toMatchObject({ ok: true });
        expect(h().nameOf(now)).toBe('Ours');
      }
    });

    it('reports a 429 as rate-limited and a 5xx as retryable for every op of the refused call, never throwing', async () => {
      const [id] = await admin().seed(h().object, [h().seedRecord('werr@example.com', 'W')]);
      const update = (ref: string): WriteOp => ({ kind: 'update', ref, id: id!, fields: h().updateFields(ref), idempotencyKey: `k-${ref}` });
      await admin().addFault({ route: '*', kind: 'rate-limit', count: 1, retryAfterSeconds: 3 });
      const [limited] = await h().connector.write(h().object, [update('limited')], h().ctx);
      expect(limited).toMatchObject({ ok: false, error: { kind: 'rate-limited', status: 429, retryAfterMs: 3_000 } });
      await admin().addFault({ route: '*', kind: 'error', status: 503, count: 1 });
      const [failed] = await h().connector.write(h().object, [update('failed')], h().ctx);
      expect(failed).toMatchObject({ ok: false, error: { kind: 'retryable', status: 503 } });
      expect(h().nameOf((await h().connector.get(h().object, [id!], h().ctx)).get(id!)!)).toBe('W');
    });

    it('deletes as the connector declares, and the record then reads as deleted', async () => {
      const caps = h().connector.capabilities;
      const [id] = await admin().seed(h().object, [h().seedRecord('bye@example.com', 'Bye')]);
      if (caps.delete === 'none') return;
      const [res] = await h().connector.write(h().object, [{ kind: 'delete', ref: 'd', id: id!, idempotencyKey: 'k-d' }], h().ctx);
      expect(res).toMatchObject({ ok: true, record: { deleted: true } });
      expect((await h().connector.get(h().object, [id!], h().ctx)).get(id!)?.deleted).toBe(true);
    });
  });
}
