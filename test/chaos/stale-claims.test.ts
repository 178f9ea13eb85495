/**
 * The fix the chaos seed `try1` led to, on its own: inbox rows claimed by a daemon of this host that was killed
 * are claimable again at the next start, while a live process's claims and other hosts' claims are left alone.
 */
import { spawn } from 'node:child_process';
import { hostname } from 'node:os';
import { expect, it } from 'vitest';
import { describeEachDialect } from '../support/db.js';
import { claimInboxBatch, insertInboxEvents } from '../../src/store/inbox.js';
import { releaseDeadOwnersClaims } from '../../src/runtime/daemon/stale-claims.js';

/** The pid of a process that has ended. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((r) => child.once('exit', r));
  return child.pid!;
}

describeEachDialect('claims of a killed daemon', (getStore) => {
  it('are released at start; claims of live processes and of other hosts are kept', async () => {
    const { db } = getStore();
    const now = new Date();
    const owners = [`${hostname()}:${await deadPid()}`, `${hostname()}:${process.ppid}`, 'elsewhere:12345'];
    for (const [i, owner] of owners.entries()) {
      await insertInboxEvents(db, [{ system: 'hubspot', object: 'contacts', remoteId: `r${i}`, eventId: `stale-${i}-${now.getTime()}`, kind: 'upsert' }], now);
      const claimed = await claimInboxBatch(db, { owner, limit: 1, claimMs: 600_000, now });
      expect(claimed).toHaveLength(1);
    }
    const me = `${hostname()}:${process.pid}`;
    expect(await claimInboxBatch(db, { owner: me, limit: 10, claimMs: 600_000, now })).toHaveLength(0);

    expect(await releaseDeadOwnersClaims(db, me)).toBe(1);
    const again = await claimInboxBatch(db, { owner: me, limit: 10, claimMs: 600_000, now });
    expect(again.map((r) => r.remoteId)).toEqual(['r0']);
  });
});
