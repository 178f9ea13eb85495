/**
 * What `concord status` shows, per system and pair: health, circuit, last poll, cursor lag, queue
 * depth, open conflicts, dead letters, paused pairs. The store part is read by any process; the live
 * part (health, circuits, queue depth, held work) only the running daemon knows and serves on its
 * admin endpoint `/admin/status`.
 */
import type { CompiledMapping } from '../../mapping/compiled-types.js';
import type { Db } from '../../store/database.js';
import { countOpenConflicts } from '../../store/conflicts.js';
import { listCursors } from '../../store/cursors.js';
import { countDeadLetters } from '../../store/dead-letters.js';
import { countPendingInbox } from '../../store/inbox.js';
import { getPairState } from '../../store/pair-state.js';
import type { RecoveryWait } from './recover-at-start.js';

export interface CursorStatus {
  system: string;
  object: string;
  /** When the last poll stored a page (ISO). */
  lastPollAt: string;
  /** For time cursors: how far behind now the cursor is, in seconds. */
  lagSeconds: number | null;
}

export interface PairStatus {
  pair: string;
  left: string;
  right: string;
  paused: boolean;
  pausedReason: string | null;
  openConflicts: number;
  deadLetters: number;
}

export interface StoreStatus {
  inboxPending: number;
  cursors: CursorStatus[];
  pairs: PairStatus[];
  deadLettersBySystem: Record<string, number>;
}

export interface LiveStatus {
  startedAt: string;
  queueDepth: number;
  pendingRows: number;
  systems: Record<string, { healthy: boolean; detail?: string; circuit: string }>;
  held: Record<string, number>;
  /** Records held as waiting (a lookup reference not linked yet), to be tried again, per pair. */
  waiting: Record<string, number>;
  /** Pairs whose unfinished writes from before the start are not resolved yet: nothing new is written for them. */
  recovering: Record<string, RecoveryWait>;
  counters: { committed: number; noop: number; failed: number; waiting: number; writes: Record<string, number>; conflicts: number; conflictsSettled: number };
}

export async function readStoreStatus(db: Db, mappings: readonly CompiledMapping[], now: Date): Promise<StoreStatus> {
  const conflicts = await countOpenConflicts(db);
  const dead = await countDeadLetters(db);
  const cursors = (await listCursors(db)).filter((c) => !c.object.includes('#')).map((c): CursorStatus => {
    const t = Date.parse(c.cursor);
    // A cursor at the epoch has seen no record yet: no lag to speak of.
    return { system: c.system, object: c.object, lastPollAt: c.updatedAt, lagSeconds: Number.isNaN(t) || t <= 0 ? null : Math.max(0, Math.round((now.getTime() - t) / 1000)) };
  });
  const pairs: PairStatus[] = [];
  for (const m of mappings) {
    const state = await getPairState(db, m.pair);
    pairs.push({
      pair: m.pair, left: `${m.left.system}/${m.left.object}`, right: `${m.right.system}/${m.right.object}`,
      paused: state.paused, pausedReason: state.pausedReason, openConflicts: conflicts.get(m.pair) ?? 0,
      deadLetters: dead.filter((d) => d.pair === m.pair).reduce((n, d) => n + d.count, 0),
    });
  }
  const deadLettersBySystem: Record<string, number> = {};
  for (const d of dead) deadLettersBySystem[d.system] = (deadLettersBySystem[d.system] ?? 0) + d.count;
  return { inboxPending: await countPendingInbox(db), cursors, pairs, deadLettersBySystem };
}
