/**
 * The writer's batching: writes for one target system/object go out in chunks of the connector's
 * `maxWriteBatch`, one result per op. A failed item never fails its neighbours (the contract says `write` never
 * throws for one item); a call that throws as a whole (connection lost, process killed) leaves the outcome of
 * every op in it unknown, and the journal intents of those ops stay open for recovery to resolve.
 */
import type { Connector, ConnectorContext, ObjectName, WriteOp, WriteResult } from '../../connectors/contract.js';

export type WriteOutcome =
  | WriteResult
  /** The call failed as a whole: the system may or may not have applied the op. */
  | { ref: string; ok: false; unknown: true; error: { kind: 'retryable'; message: string } };

/** The call failed as a whole, or the connector says the op landed in part: only a read can tell what happened. */
export function isUnknownOutcome(o: WriteOutcome): boolean {
  return !o.ok && o.unknown === true;
}

/** Splits ops into chunks of at most `max` (at least 1), keeping their order. */
export function chunkOps<T>(ops: readonly T[], max: number): T[][] {
  const size = Math.max(1, Math.floor(max));
  const out: T[][] = [];
  for (let i = 0; i < ops.length; i += size) out.push(ops.slice(i, i + size));
  return out;
}

/**
 * Writes `ops` to one object of one system in batches. Returns one outcome per op, keyed by `ref`.
 * A result the connector did not return for an op is treated as unknown, not as success.
 */
export async function writeInBatches(
  connector: Connector,
  object: ObjectName,
  ops: readonly WriteOp[],
  ctx: ConnectorContext,
): Promise<Map<string, WriteOutcome>> {
  const outcomes = new Map<string, WriteOutcome>();
  for (const chunk of chunkOps(ops, connector.capabilities.maxWriteBatch)) {
    let results: WriteResult[];
    try {
      results = await connector.write(object, chunk, ctx);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      for (const op of chunk) outcomes.set(op.ref, { ref: op.ref, ok: false, unknown: true, error: { kind: 'retryable', message } });
      continue;
    }
    const byRef = new Map(results.map((r) => [r.ref, r]));
    for (const op of chunk) {
      outcomes.set(op.ref, byRef.get(op.ref) ?? {
        ref: op.ref, ok: false, unknown: true, error: { kind: 'retryable', message: `${connector.system} returned no result for ${op.ref}` },
      });
    }
  }
  return outcomes;
}
