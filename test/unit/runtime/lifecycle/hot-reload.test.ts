import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readdir, readFile } from 'node:fs/promises';
import { createHotReload, type HotReload, type ReloadOutcome } from '../../../../src/runtime/lifecycle/hot-reload.js';
import type { Problem } from '../../../../src/config/problems.js';
import { createLogger } from '../../../../src/shared/logger.js';

/** Config for these tests: each `*.yaml` holds `value: <number>`; anything else is a problem at its position. */
type Config = Record<string, number>;

function reloader(dir: string) {
  let calls = 0;
  const reload = async (): Promise<ReloadOutcome<Config>> => {
    calls++;
    const config: Config = {};
    const problems: Problem[] = [];
    for (const name of (await readdir(dir)).filter((n) => n.endsWith('.yaml')).sort()) {
      const text = await readFile(join(dir, name), 'utf8');
      const m = /^value: (\d+)\s*$/.exec(text);
      if (m) config[name] = Number(m[1]);
      else problems.push({ file: join(dir, name), line: 1, col: 8, code: 'CONCORD_ERR_TEST_VALUE', message: `expected a number, found "${text.trim()}"`, severity: 'error' });
    }
    return problems.length > 0 ? { ok: false, problems } : { ok: true, config };
  };
  return { reload, calls: () => calls };
}

function capturedLog() {
  const lines: Array<Record<string, unknown>> = [];
  const log = createLogger({ level: 'info', destination: { write: (s: string) => { lines.push(JSON.parse(s)); } } as never });
  return { log, lines };
}

const dirs: string[] = [];
const reloads: Array<HotReload<Config>> = [];
afterEach(() => {
  reloads.splice(0).forEach((r) => r.stop());
  dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true }));
});

function setup(debounceMs = 30) {
  const dir = mkdtempSync(join(tmpdir(), 'concord-reload-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'a-b.contacts.yaml'), 'value: 1\n');
  const r = reloader(dir);
  const { log, lines } = capturedLog();
  const hot = createHotReload<Config>({ dir, initial: { 'a-b.contacts.yaml': 1 }, reload: r.reload, log, debounceMs });
  reloads.push(hot);
  const nextOutcome = () => new Promise<ReloadOutcome<Config>>((resolve) => { const off = hot.onReload((o) => { off(); resolve(o); }); });
  return { dir, hot, lines, nextOutcome, calls: r.calls };
}

describe('hot reload', () => {
  it('replaces the running configuration when a changed file validates', async () => {
    const { dir, hot, nextOutcome } = setup();
    hot.start();
    const outcome = nextOutcome();
    writeFileSync(join(dir, 'a-b.contacts.yaml'), 'value: 2\n');
    expect((await outcome).ok).toBe(true);
    expect(hot.current()).toEqual({ 'a-b.contacts.yaml': 2 });
  });

  it('keeps the running configuration and logs file:line:col when the change is invalid', async () => {
    const { dir, hot, lines, nextOutcome } = setup();
    hot.start();
    const before = hot.current();
    const outcome = nextOutcome();
    writeFileSync(join(dir, 'a-b.contacts.yaml'), 'value: two\n');
    expect((await outcome).ok).toBe(false);
    expect(hot.current()).toBe(before);
    const refused = lines.find((l) => l.event === 'config:reload:refused' && l.code === 'CONCORD_ERR_TEST_VALUE');
    expect(refused?.msg).toBe(`${join(dir, 'a-b.contacts.yaml')}:1:8  CONCORD_ERR_TEST_VALUE  expected a number, found "value: two"`);
  });

  it('a work item keeps the configuration it started with while a reload lands', async () => {
    const { dir, hot } = setup();
    const itemConfig = hot.current();
    writeFileSync(join(dir, 'a-b.contacts.yaml'), 'value: 3\n');
    await hot.reloadNow();
    expect(itemConfig).toEqual({ 'a-b.contacts.yaml': 1 });
    expect(hot.current()).toEqual({ 'a-b.contacts.yaml': 3 });
  });

  it('ends a burst of writes with the last one applied', async () => {
    const { dir, hot, nextOutcome } = setup();
    hot.start();
    for (let i = 4; i <= 9; i++) writeFileSync(join(dir, 'a-b.contacts.yaml'), `value: ${i}\n`);
    while ((hot.current()['a-b.contacts.yaml'] ?? 0) !== 9) await nextOutcome();
    expect(hot.current()).toEqual({ 'a-b.contacts.yaml': 9 });
  });

  it('ignores files that are not YAML', async () => {
    const { dir, hot, calls } = setup(10);
    hot.start();
    writeFileSync(join(dir, 'notes.txt'), 'scratch');
    await new Promise((r) => setTimeout(r, 100));
    expect(calls()).toBe(0);
  });
});
