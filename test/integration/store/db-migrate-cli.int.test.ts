import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { createEmptyPostgresDatabase, isPostgresAvailable } from '../../support/db.js';

const run = promisify(execFile);
const root = new URL('../../../', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'concord-cli-db-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function concord(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(join(root, 'node_modules/.bin/tsx'), [join(root, 'src/cli/main.ts'), ...args],
      { cwd: dir, env: { ...process.env, ...env } });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('concord db migrate', { timeout: 90_000 }, () => {
  it('migrates the SQLite database named by --database, then says it is current', async () => {
    const first = await concord(['db', 'migrate', '--database', 'sqlite:./state/a.db']);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('applied 0001-links-and-shadows');
    expect(first.stdout).toContain('sqlite:./state/a.db (sqlite): schema migrated to 0006-control');
    const second = await concord(['db', 'migrate', '--database', 'sqlite:./state/a.db']);
    expect(second.stdout).toBe('sqlite:./state/a.db (sqlite): schema is current at 0006-control\n');
  });

  it('takes database.url from the config given by --config, with ${VAR} interpolation', async () => {
    writeFileSync(join(dir, 'concord.yaml'), 'database:\n  url: ${STATE_DIR}/b.db\nsystems: {}\n');
    const res = await concord(['-c', 'concord.yaml', 'db', 'migrate'], { STATE_DIR: './from-env' });
    expect(res.stderr).toBe('');
    expect(res.stdout).toContain('./from-env/b.db (sqlite): schema migrated to 0006-control');
  });

  it('exits 1 with a coded message for a URL it cannot use', async () => {
    const res = await concord(['db', 'migrate', '--database', 'mysql://root@localhost/concord']);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('CONCORD_ERR_STORE_URL_INVALID: database.url: expected a SQLite file path');
  });

  it.runIf(isPostgresAvailable() || process.env.CI)('migrates a Postgres database', async () => {
    const empty = await createEmptyPostgresDatabase();
    try {
      const res = await concord(['db', 'migrate', '--database', empty.url]);
      expect(res.stdout).toContain('(postgres): schema migrated to 0006-control');
      expect(res.code).toBe(0);
    } finally {
      await empty.dispose();
    }
  });
});
