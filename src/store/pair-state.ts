import type { Db } from './database.js';

export interface PairState {
  pair: string;
  paused: boolean;
  pausedReason: string | null;
  pausedAt: string | null;
  approvedAt: string | null;
}

/** Pauses a pair (the mass-change guard) until an operator approves it. */
export async function pausePair(trx: Db, pair: string, reason: string, now: Date): Promise<void> {
  const at = now.toISOString();
  await trx.insertInto('pair_state')
    .values({ pair, paused: 1, paused_reason: reason, paused_at: at, approved_at: null, updated_at: at })
    .onConflict((oc) => oc.column('pair').doUpdateSet({ paused: 1, paused_reason: reason, paused_at: at, updated_at: at }))
    .execute();
}

/** Releases a paused pair (`concord approve`). Returns false when the pair was not paused. */
export async function approvePair(trx: Db, pair: string, now: Date): Promise<boolean> {
  const at = now.toISOString();
  const res = await trx.updateTable('pair_state').set({ paused: 0, approved_at: at, updated_at: at })
    .where('pair', '=', pair).where('paused', '=', 1).executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}

/** A pair never paused is running. */
export async function getPairState(db: Db, pair: string): Promise<PairState> {
  const row = await db.selectFrom('pair_state').selectAll().where('pair', '=', pair).executeTakeFirst();
  if (!row) return { pair, paused: false, pausedReason: null, pausedAt: null, approvedAt: null };
  return { pair, paused: row.paused === 1, pausedReason: row.paused_reason, pausedAt: row.paused_at, approvedAt: row.approved_at };
}

export async function listPausedPairs(db: Db): Promise<PairState[]> {
  const rows = await db.selectFrom('pair_state').selectAll().where('paused', '=', 1).orderBy('pair').execute();
  return rows.map((row) => ({
    pair: row.pair, paused: true, pausedReason: row.paused_reason, pausedAt: row.paused_at, approvedAt: row.approved_at,
  }));
}
