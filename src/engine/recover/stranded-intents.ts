/**
 * A write whose answer was lost while the process went on running (a timeout or a dropped connection on a request
 * that is not safe to send again) leaves its journal intent open: the engine cannot tell whether it landed. Start-up
 * recovery resolves such intents only at the next start, which for a daemon may be months away; meanwhile the
 * record's next write would be planned beside an undecided one. So before the items are worked on again, the open
 * intents of their records are resolved the way start-up recovery does, by reading the target.
 *
 * Only the items' own intents are touched: whoever works on these items holds their keys (one worker per link, and
 * per pair for unlinked records), so none of those intents is still in flight. Intents of other records may be.
 */
import type { Side } from '../../mapping/compiled-types.js';
import type { EngineDeps } from '../engine-deps.js';
import { otherSide } from '../engine-deps.js';
import type { WorkItem } from '../process/process-items.js';
import { recoverIntents, type RecoveryReport } from './recover-intents.js';

export async function recoverItemsIntents(deps: EngineDeps, items: readonly WorkItem[]): Promise<RecoveryReport | null> {
  const { store, mapping } = deps;
  const open = await store.listJournal({ pair: mapping.pair, states: ['intent'] });
  if (open.length === 0) return null;
  const ids: Record<Side, Set<string>> = { left: new Set(), right: new Set() };
  for (const i of items) ids[i.side].add(i.id);
  const linkIds = new Set<string>();
  for (const side of ['left', 'right'] as const) {
    if (ids[side].size === 0) continue;
    for (const link of (await store.findLinksBySide(mapping.pair, side, [...ids[side]] as WorkItem['id'][])).values()) linkIds.add(link.id);
  }
  const ours = (e: (typeof open)[number]) =>
    (e.linkId !== null && linkIds.has(e.linkId)) ||
    (e.remoteId !== null && ids[e.side].has(e.remoteId)) ||
    (e.createdFrom !== undefined && ids[otherSide(e.side)].has(e.createdFrom));
  if (!open.some(ours)) return null;
  return recoverIntents(deps, { only: ours });
}
