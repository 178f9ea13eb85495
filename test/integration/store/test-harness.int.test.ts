import { execFile } from 'node:child_process';
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { describeEachDialect } from '../../support/db.js';
import { describeWithRedis } from '../../support/redis.js';

const run = promisify(execFile);
const root = new URL('../../../', import.meta.url).pathname;

describeEachDialect('harness', (getStore) => {
  it('gives each dialect a migrated store of its own', async () => {
    const store = getStore();
    expect(['sqlite', 'postgres']).toContain(store.dialect);
    expect(await store.db.selectFrom('audit_head').select('seq').executeTakeFirst()).toEqual({ seq: 0 });
  });
});

describeWithRedis('harness', (getRedis) => {
  it('prefixes every key with a prefix of its own', async () => {
    const { client, prefix } = getRedis();
    await client.set('k', 'v');
    expect(prefix).toMatch(/^concord-test:[0-9a-f]{12}:$/);
    const { Redis } = await import('ioredis');
    const plain = new Redis(getRedis().url);
    expect(await plain.get(`${prefix}k`)).toBe('v');
    await plain.quit();
  });
});

/**
 * Runs a throwaway test file against an unreachable Postgres and Redis, with and without CI. The file
 * lives under test/support with a name the project's `include` does not match, so a concurrent full
 * run never picks it up; its own config includes it.
 */
describe('when Postgres and Redis do not answer', { timeout: 120_000 }, () => {
  const dir = mkdtempSync(join(root, 'test/support/.harness-probe-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'probe.check.ts');
  const config = join(dir, 'vitest.probe.config.mjs');
  writeFileSync(file, [
    `import { it } from 'vitest';`,
    `import { describeEachDialect } from '../db.js';`,
    `import { describeWithRedis } from '../redis.js';`,
    `describeEachDialect('probe', () => { it('runs', () => {}); });`,
    `describeWithRedis('probe', () => { it('runs', () => {}); });`,
  ].join('\n'));
  writeFileSync(config, `export default { test: { include: [${JSON.stringify(relative(root, file))}], pool: 'forks' } };\n`);

  async function vitest(ci: boolean): Promise<{ code: number; out: string }> {
    const env: NodeJS.ProcessEnv = { ...process.env, CONCORD_TEST_PG_URL: 'postgres://postgres@127.0.0.1:1/test',
      CONCORD_TEST_REDIS_URL: 'redis://127.0.0.1:1', NO_COLOR: '1', FORCE_COLOR: '0' };
    delete env.CI;
    if (ci) env.CI = 'true';
    try {
      const { stdout, stderr } = await run(join(root, 'node_modules/.bin/vitest'),
        ['run', '--config', config, '--root', root, '--reporter=verbose'], { cwd: root, env });
      return { code: 0, out: stdout + stderr };
    } catch (err) {
      const e = err as { code: number; stdout: string; stderr: string };
      return { code: e.code, out: e.stdout + e.stderr };
    }
  }

  it('outside CI, the SQLite cases run and the others skip with one line saying why', async () => {
    const { code, out } = await vitest(false);
    expect(code, out).toBe(0);
    expect(out).toMatch(/✓ .*probe \[sqlite\] > runs/);
    expect(out).toMatch(/Tests +1 passed \| 2 skipped/);
    expect(out.match(/skipping Postgres cases: postgres:\/\/postgres@127\.0\.0\.1:1\/test did not answer/g)).toHaveLength(1);
    expect(out).toContain('skipping Redis cases: redis://127.0.0.1:1 did not answer');
  });

  it('under CI, they fail', async () => {
    const { code, out } = await vitest(true);
    expect(code).not.toBe(0);
    expect(out).toContain('Postgres is required in CI');
    expect(out).toContain('Redis is required in CI');
  });
});
