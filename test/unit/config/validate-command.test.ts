/**
 * `concord validate` and `concord schema` as a user runs them: a real child process, its output and
 * its exit code.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

async function concord(...args: string[]): Promise<{ code: number; stdout: string }> {
  try {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { env: { PATH: process.env.PATH } });
    return { code: 0, stdout };
  } catch (error) {
    const e = error as { code: number; stdout: string };
    return { code: e.code, stdout: e.stdout };
  }
}

const context = ['-c', 'test/fixtures/config/malformed-mapping-context.yaml'];
const malformed = 'test/fixtures/mappings/malformed';

describe('concord validate', () => {
  it('lists every error of every file in one run and exits 1', async () => {
    const result = await concord(...context, 'validate', `${malformed}/misspelt-direction`, `${malformed}/bad-cron`, `${malformed}/duplicate-pair`);
    expect(result.code).toBe(1);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines.map((l) => l.split('  ').slice(0, 2).join('  '))).toEqual([
      `${malformed}/bad-cron/hubspot-mailchimp.contacts.yaml:8:7  CONCORD_ERR_MAPPING_BAD_CRON`,
      // bad-cron declares the same pair name as both duplicate-pair files: checks run across all files.
      `${malformed}/duplicate-pair/hubspot-mailchimp.contacts.yaml:2:7  CONCORD_ERR_MAPPING_DUPLICATE_PAIR`,
      `${malformed}/duplicate-pair/hubspot-mailchimp.leads.yaml:2:7  CONCORD_ERR_MAPPING_DUPLICATE_PAIR`,
      `${malformed}/misspelt-direction/hubspot-mailchimp.contacts.yaml:7:62  CONCORD_ERR_MAPPING_INVALID_VALUE`,
      '',
      '4 errors in 5 files',
    ]);
  });

  it('exits 0 and says so when the files are valid', async () => {
    const result = await concord(...context, 'validate', 'test/fixtures/mappings/valid/one-owner');
    expect(result).toEqual({ code: 0, stdout: 'ok: 3 files valid\n' });
  });

  it('prints the problems as JSON for tools with --json', async () => {
    const result = await concord(...context, 'validate', '--json', `${malformed}/bad-cron`);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toEqual([expect.objectContaining({
      file: `${malformed}/bad-cron/hubspot-mailchimp.contacts.yaml`, line: 8, col: 7, code: 'CONCORD_ERR_MAPPING_BAD_CRON', severity: 'error',
    })]);
  });

  it('reports a config it cannot read', async () => {
    const result = await concord('-c', 'no/such.yaml', 'validate', 'test/fixtures/mappings/valid/one-owner');
    expect(result.code).toBe(1);
    expect(result.stdout.split('\n')[0]).toBe(
      'no/such.yaml:1:1  CONCORD_ERR_CONFIG_UNREADABLE  cannot read the daemon config (no such file): give its path with -c/--config or CONCORD_CONFIG');
  });
});

describe('concord schema', () => {
  it('writes the same JSON Schemas as the committed ones', async () => {
    const out = await mkdtemp(join(tmpdir(), 'concord-schema-'));
    try {
      const result = await concord('schema', '--out', out);
      expect(result.code).toBe(0);
      for (const name of ['mapping.schema.json', 'daemon-config.schema.json']) {
        expect(await readFile(join(out, name), 'utf8')).toBe(await readFile(join('schema', name), 'utf8'));
      }
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });
});
