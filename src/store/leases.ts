import type { Db } from './database.js';

/**
 * One lease duration for every process (graphile-worker's lesson: a fixed lock time needs a heartbeat).
 * A holder heartbeats well within it (every third of it); a holder that stops is replaced after it.
 */
export const LEASE_DURATION_MS = 30_000;
export const LEASE_HEARTBEAT_MS = LEASE_DURATION_MS / 3;

export type AcquireLeaseResult =
  | { ok: true; expiresAt: string }
  | { ok: false; heldBy: string; expiresAt: string };

/** Takes the lease if it is free, expired, or already ours (then it is extended). */
export async function acquireLease(db: Db, name: string, owner: string, now: Date): Promise<AcquireLeaseResult> {
  const at = now.toISOString();
  const expiresAt = new Date(now.getTime() + LEASE_DURATION_MS).toISOString();
  const taken = await db.insertInto('leases').values({ name, owner, acquired_at: at, expires_at: expiresAt })
    .onConflict((oc) => oc.column('name')
      .doUpdateSet({ owner, acquired_at: at, expires_at: expiresAt })
      .where((eb) => eb.or([eb('leases.expires_at', '<=', at), eb('leases.owner', '=', owner)])))
    .returning(['owner', 'expires_at']).executeTakeFirst();
  if (taken) return { ok: true, expiresAt: taken.expires_at };
  const holder = await db.selectFrom('leases').select(['owner', 'expires_at']).where('name', '=', name).executeTakeFirst();
  // Released between the two statements: it is free now, so try again.
  if (!holder) return acquireLease(db, name, owner, now);
  return { ok: false, heldBy: holder.owner, expiresAt: holder.expires_at };
}

/**
 * Extends a lease we still hold. False when it expired or another owner took it: stop the work it
 * guarded, someone else may be doing it now.
 */
export async function heartbeatLease(db: Db, name: string, owner: string, now: Date): Promise<boolean> {
  const res = await db.updateTable('leases')
    .set({ expires_at: new Date(now.getTime() + LEASE_DURATION_MS).toISOString() })
    .where('name', '=', name).where('owner', '=', owner).where('expires_at', '>', now.toISOString())
    .executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}

/** Gives a lease up. False when we did not hold it. */
export async function releaseLease(db: Db, name: string, owner: string): Promise<boolean> {
  const res = await db.deleteFrom('leases').where('name', '=', name).where('owner', '=', owner).executeTakeFirst();
  return Number(res.numDeletedRows) > 0;
}
