import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createShutdown, forcedExitCode } from '../../../../src/runtime/lifecycle/shutdown.js';
import { silentLogger } from '../../../../src/shared/logger.js';

function recorder() {
  const lines: string[] = [];
  const exits: number[] = [];
  return { lines, exits, exit: (code: number) => { exits.push(code); } };
}

describe('shutdown', () => {
  it('runs the steps in order and exits 0', async () => {
    const r = recorder();
    const shutdown = createShutdown({ timeoutMs: 5000, log: silentLogger, exit: r.exit, steps: [
      { name: 'intake', run: async () => { r.lines.push('intake'); } },
      { name: 'drain', run: async () => { await new Promise((res) => setTimeout(res, 20)); r.lines.push('drain'); } },
      { name: 'store', run: async () => { r.lines.push('store'); } },
    ] });
    expect(await shutdown.trigger('SIGTERM')).toBe(0);
    expect(r.lines).toEqual(['intake', 'drain', 'store']);
    expect(r.exits).toEqual([0]);
  });

  it('abandons a step past its bound, aborting it, and still closes the store', async () => {
    const r = recorder();
    let aborted = false;
    const shutdown = createShutdown({ timeoutMs: 5000, log: silentLogger, exit: r.exit, steps: [
      { name: 'drain', timeoutMs: 30, run: (signal) => new Promise<void>(() => { signal.addEventListener('abort', () => { aborted = true; }); }) },
      { name: 'store', run: async () => { r.lines.push('store'); } },
    ] });
    expect(await shutdown.trigger('SIGTERM')).toBe(0);
    expect(aborted).toBe(true);
    expect(r.lines).toEqual(['store']);
  });

  it('goes on after a failing step and exits 1', async () => {
    const r = recorder();
    const shutdown = createShutdown({ timeoutMs: 5000, log: silentLogger, exit: r.exit, steps: [
      { name: 'intake', run: async () => { throw new Error('already closed'); } },
      { name: 'store', run: async () => { r.lines.push('store'); } },
    ] });
    expect(await shutdown.trigger('SIGTERM')).toBe(1);
    expect(r.lines).toEqual(['store']);
  });

  it('exits at once on a second signal', async () => {
    const r = recorder();
    const shutdown = createShutdown({ timeoutMs: 60_000, log: silentLogger, exit: r.exit, steps: [
      { name: 'drain', run: () => new Promise<void>(() => undefined) },
    ] });
    void shutdown.trigger('SIGTERM');
    expect(await shutdown.trigger('SIGTERM')).toBe(forcedExitCode);
    expect(r.exits).toEqual([forcedExitCode]);
  });
});

describe('shutdown of a real process', () => {
  const child = fileURLToPath(new URL('./shutdown-child.ts', import.meta.url));

  function start(env: Record<string, string> = {}) {
    const proc = spawn(process.execPath, ['--import', 'tsx', child], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const lines: string[] = [];
    let buffer = '';
    const waiters: Array<{ line: string; resolve: () => void }> = [];
    proc.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const parts = buffer.split('\n');
      buffer = parts.pop()!;
      for (const l of parts) {
        lines.push(l);
        for (const w of waiters.filter((x) => l.startsWith(x.line))) w.resolve();
      }
    });
    const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
    const waitFor = (line: string) => (lines.some((l) => l.startsWith(line)) ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ line, resolve })));
    return { proc, lines, exited, waitFor };
  }

  it('on SIGTERM stops intake, finishes in-flight work, closes the store and exits 0', async () => {
    const c = start();
    await c.waitFor('ready');
    const address = c.lines[0]!.split(' ')[1]!;
    expect((await fetch(`${address}/healthz`)).status).toBe(200);
    c.proc.kill('SIGTERM');
    expect(await c.exited).toBe(0);
    expect(c.lines.slice(1)).toEqual(['intake closed', 'draining', 'work finished', 'store closed']);
    await expect(fetch(`${address}/healthz`)).rejects.toThrow();
  });

  it('exits at once on a second SIGTERM while work hangs', async () => {
    const c = start({ CHILD_HANG: '1', CHILD_TIMEOUT_MS: '600000' });
    await c.waitFor('ready');
    c.proc.kill('SIGTERM');
    await c.waitFor('draining');
    c.proc.kill('SIGTERM');
    expect(await c.exited).toBe(forcedExitCode);
    expect(c.lines).not.toContain('store closed');
  });
});
