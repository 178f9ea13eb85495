/**
 * `lookup: <pair>`: a reference (a deal's company id) translated through another pair's links (companies <->
 * customers). The other pair must have the same orientation as this one: its left system is this pair's left
 * system. Ids are compared as text. A reference whose record is not linked yet is `waiting`: the engine holds the
 * record and retries it, so it is never written with the reference missing.
 *
 * Invertible: links are one-to-one (one left record, one right record).
 */
import type { CompiledTransform, Side } from '../compiled-types.js';
import { converted, describeValue, invalid, isEmpty, waiting } from './converted.js';

export function createLookup(pair: string): CompiledTransform {
  const through = (from: Side) => (value: unknown, ctx: Parameters<CompiledTransform['toRight']>[1]) => {
    if (isEmpty(value)) return converted(null);
    if (typeof value !== 'string' && typeof value !== 'number') {
      return invalid(`lookup ${pair} expects a record id, found ${describeValue(value)}`);
    }
    const id = String(value);
    const other = ctx.lookup(pair, from, id);
    if (other === undefined) {
      return waiting(`the ${from} record ${id} is not linked in pair ${pair} yet`);
    }
    return converted(other);
  };
  return { name: `lookup:${pair}`, invertible: true, toRight: through('left'), toLeft: through('right') };
}
