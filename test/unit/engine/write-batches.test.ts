import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createManualClock } from '../../../src/shared/clock.js';
import { chunkOps, isUnknownOutcome, writeInBatches } from '../../../src/engine/plan/write-batches.js';
import { createMemoryConnector } from '../../support/memory-connector.js';
import type { ConnectorContext, WriteOp } from '../../../src/connectors/contract.js';

describe('write batching', () => {
  it('chunks keep every op once, in order, none larger than the batch size', () => {
    fc.assert(fc.property(fc.array(fc.integer()), fc.integer({ min: 1, max: 20 }), (ops, max) => {
      const chunks = chunkOps(ops, max);
      expect(chunks.flat()).toEqual(ops);
      expect(chunks.every((c) => c.length >= 1 && c.length <= max)).toBe(true);
    }));
  });

  it('a call that throws leaves the outcome of its ops unknown, and other chunks still go out', async () => {
    const c = createMemoryConnector({ system: 'm', clock: createManualClock(), objects: ['o'], capabilities: { maxWriteBatch: 2 } });
    const ops: WriteOp[] = [1, 2, 3].map((n) => ({ kind: 'create', ref: `r${n}`, fields: { n }, idempotencyKey: `k${n}` }));
    c.crashAfterNextWrite();
    const out = await writeInBatches(c, 'o', ops, {} as ConnectorContext);
    expect([...out.values()].map((o) => (o.ok ? 'ok' : isUnknownOutcome(o) ? 'unknown' : 'failed'))).toEqual(['unknown', 'unknown', 'ok']);
    expect(c.all('o')).toHaveLength(3);
  });

  it('an op the connector reports as landed in part stays unknown; a plain failure is a failure', async () => {
    const c = createMemoryConnector({ system: 'm', clock: createManualClock(), objects: ['o'] });
    const ops: WriteOp[] = [1, 2].map((n) => ({ kind: 'create', ref: `r${n}`, fields: { n }, idempotencyKey: `k${n}` }));
    const partly = { ...c, write: async () => [
      { ref: 'r1', ok: false as const, unknown: true as const, error: { kind: 'retryable' as const, message: 'member written, tags not' } },
      { ref: 'r2', ok: false as const, error: { kind: 'retryable' as const, message: 'HTTP 503' } },
    ] };
    const out = await writeInBatches(partly, 'o', ops, {} as ConnectorContext);
    expect([...out.values()].map((o) => (isUnknownOutcome(o) ? 'unknown' : 'failed'))).toEqual(['unknown', 'failed']);
  });
});
