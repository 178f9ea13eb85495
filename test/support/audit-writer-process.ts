/**
 * A separate process that appends audit rows to a store, one transaction each, reading the chain head
 * inside every transaction: used to show that processes sharing one SQLite file serialise correctly.
 * Usage: tsx test/support/audit-writer-process.ts <database url> <writer name> <rows>
 */
import { openStore } from '../../src/store/migrate.js';
import { appendAudit } from '../../src/store/audit.js';
import { claimInboxBatch, markInboxProcessed } from '../../src/store/inbox.js';
import { withTransaction } from '../../src/store/transaction.js';

const [url, writer, rows] = process.argv.slice(2);
const store = await openStore(url!);
let claimed = 0;
for (let i = 0; i < Number(rows); i++) {
  await appendAudit(store.db, [{
    at: new Date(), pair: 'multi', system: 's', object: 'o', field: 'f', old: i, new: i + 1, reason: 'propagated', recordId: `${writer}-${i}`,
  }]);
  const batch = await claimInboxBatch(store.db, { owner: writer!, limit: 3, claimMs: 600_000, now: new Date() });
  await withTransaction(store.db, (trx) => markInboxProcessed(trx, batch.map((e) => e.id), new Date()));
  claimed += batch.length;
}
process.stdout.write(JSON.stringify({ writer, claimed }));
await store.close();
