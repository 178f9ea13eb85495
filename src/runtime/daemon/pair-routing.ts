/**
 * Which pairs an inbox event concerns: every pair that maps the event's (system, object) on a side.
 * A side with object params (a Mailchimp audience's `list_id`) takes only events that carry the same
 * value under that name, when they carry one: a webhook for another audience of the same account is
 * not this pair's business. Events carrying no such value (polls put the side's params on theirs) pass.
 */
import type { CompiledMapping, Side } from '../../mapping/compiled-types.js';
import type { RemoteId } from '../../shared/ids.js';

export interface RoutedItem {
  pair: string;
  side: Side;
  id: RemoteId;
}

export interface RoutableEvent {
  system: string;
  object: string;
  remoteId: RemoteId;
  fields?: Record<string, unknown>;
}

export function routeEvent(mappings: Iterable<CompiledMapping>, event: RoutableEvent): RoutedItem[] {
  const out: RoutedItem[] = [];
  for (const m of mappings) {
    for (const side of ['left', 'right'] as const) {
      const s = m[side];
      if (s.system !== event.system || s.object !== event.object) continue;
      const mismatch = Object.entries(s.params).some(([k, v]) => {
        const carried = event.fields?.[k];
        return carried !== undefined && carried !== null && String(carried) !== v;
      });
      if (!mismatch) out.push({ pair: m.pair, side, id: event.remoteId });
    }
  }
  return out;
}

/** The intake key of a side: polls of the same system, object and params share one cursor. */
export function intakeKey(side: CompiledMapping['left']): string {
  const params = Object.entries(side.params).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => `${k}=${v}`).join('&');
  return params ? `${side.object}?${params}` : side.object;
}
