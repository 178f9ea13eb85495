/**
 * `lookup` transforms translate a reference through another pair's links. Conversion stays synchronous, so
 * the links a batch of records refers to are read from the store first and handed to transforms in a
 * `TransformContext`. A reference that is not linked yet answers undefined: the transform reports `waiting`
 * and the record is retried later, never written half.
 */
import type { RemoteRecord } from '../../connectors/contract.js';
import type { CompiledMapping, Side, TransformContext } from '../../mapping/compiled-types.js';
import { asRemoteId } from '../../shared/ids.js';
import type { EngineStore } from '../state/engine-store.js';
import { readField } from './record-fields.js';

/** The pairs a mapping's transforms look references up in, from transform names such as `lookup:companies-customers`. */
export function lookupPairs(mapping: CompiledMapping): Map<string, string[]> {
  const byField = new Map<string, string[]>();
  for (const f of mapping.fields) {
    const pairs = [...f.transform.name.matchAll(/lookup:([a-z0-9][a-z0-9-]*)/g)].map((m) => m[1]!);
    if (pairs.length > 0) byField.set(f.id, pairs);
  }
  return byField;
}

function referenceValues(value: unknown): string[] {
  if (typeof value === 'string' || typeof value === 'number') return [String(value)];
  if (Array.isArray(value)) return value.flatMap(referenceValues);
  return [];
}

/**
 * Prefetches, for every lookup field, the links of the referenced pair for the raw values the records carry
 * (both directions), and returns a context that answers from them.
 */
export async function prefetchLookups(
  store: EngineStore,
  mapping: CompiledMapping,
  records: ReadonlyArray<{ side: Side; record: RemoteRecord }>,
): Promise<TransformContext> {
  const known = new Map<string, string>();
  const fields = lookupPairs(mapping);
  for (const f of mapping.fields) {
    const pairs = fields.get(f.id);
    if (!pairs) continue;
    for (const { side, record } of records) {
      for (const value of referenceValues(readField(record.fields, f[side]))) {
        for (const pair of pairs) {
          for (const from of ['left', 'right'] as const) {
            const k = `${pair}\u0000${from}\u0000${value}`;
            if (known.has(k)) continue;
            const link = await store.findLinkBySide(pair, from, asRemoteId(value));
            if (link) known.set(k, from === 'left' ? link.rightId : link.leftId);
          }
        }
      }
    }
  }
  return { lookup: (pair, from, id) => known.get(`${pair}\u0000${from}\u0000${id}`) };
}
