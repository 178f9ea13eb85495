/**
 * Inbox claims left by a daemon that was killed (SIGKILL, OOM, power loss) on this machine. A claim holds for
 * its full duration (10 minutes by default) so that a live worker keeps its rows; but a restarted daemon has a
 * new owner name (`host:pid`), so without this the changes in those rows would wait out the claim before anyone
 * processed them. Claims of this host whose process is gone — or that carry this very process's name, which can
 * only come from an earlier life with the same pid, as in a container where the daemon is always pid 1 — are
 * released at start. Claims of other hosts are left alone: a live instance there may still be working on them
 * (DESIGN §9), and they expire on their own.
 */
import type { Db } from '../../store/database.js';

/** Whether a process with this pid exists here (EPERM: it exists but belongs to someone else). */
function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function parseOwner(owner: string): { host: string; pid: number } | undefined {
  const at = owner.lastIndexOf(':');
  if (at <= 0) return undefined;
  const pid = Number(owner.slice(at + 1));
  return Number.isInteger(pid) && pid > 0 ? { host: owner.slice(0, at), pid } : undefined;
}

/** Releases the unprocessed rows claimed by dead owners on this host; answers how many rows were released. */
export async function releaseDeadOwnersClaims(db: Db, owner: string): Promise<number> {
  const me = parseOwner(owner);
  if (!me) return 0;
  const owners = await db.selectFrom('inbox').select('claimed_by').distinct()
    .where('processed_at', 'is', null).where('claimed_by', 'is not', null).execute();
  let released = 0;
  for (const { claimed_by: by } of owners) {
    const other = by ? parseOwner(by) : undefined;
    if (!other || other.host !== me.host) continue;
    if (other.pid !== me.pid && isProcessAlive(other.pid)) continue;
    const res = await db.updateTable('inbox').set({ claimed_by: null, claimed_until: null })
      .where('claimed_by', '=', by).where('processed_at', 'is', null).executeTakeFirst();
    released += Number(res.numUpdatedRows);
  }
  return released;
}
