import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { insertInboxEvents, listAudit, verifyAuditChain } from '../../../src/store/index.js';
import { createSqliteTestStore } from '../../support/db.js';

const run = promisify(execFile);
const root = new URL('../../../', import.meta.url).pathname;

describe('several processes on one SQLite file (daemon and CLI side by side)', { timeout: 120_000 }, () => {
  it('wait for each other: the audit chain stays whole and no inbox event is claimed twice', async () => {
    const made = await createSqliteTestStore();
    try {
      await insertInboxEvents(made.store.db, Array.from({ length: 300 }, (_, i) =>
        ({ system: 's', object: 'o', remoteId: String(i), eventId: `e${i}`, kind: 'upsert' as const })), new Date());
      const writers = await Promise.all(['A', 'B', 'C'].map((name) =>
        run(join(root, 'node_modules/.bin/tsx'), [join(root, 'test/support/audit-writer-process.ts'), made.file, name, '40'], { cwd: root })));
      const claimed = writers.map((w) => (JSON.parse(w.stdout) as { claimed: number }).claimed);
      expect(claimed.reduce((a, b) => a + b, 0)).toBe(300);
      expect(await listAudit(made.store.db)).toHaveLength(120);
      expect(await verifyAuditChain(made.store.db)).toEqual({ ok: true, rows: 120 });
      const processed = await made.store.db.selectFrom('inbox').select('id').where('processed_at', 'is not', null).execute();
      expect(processed).toHaveLength(300);
    } finally {
      await made.dispose();
    }
  });
});
