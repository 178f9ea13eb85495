/**
 * `concord run` as a child process, so the chaos can `kill -9` it at any moment and start it again on the same
 * port and store. Its log lines (pino JSON) go to `<dir>/daemon.log`, appended across restarts, for reading a
 * failing seed afterwards.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const cliEntry = join(repoRoot, 'src/cli/main.ts');

export interface DaemonChild {
  readonly running: boolean;
  start(): Promise<void>;
  /** SIGKILL: no shutdown step runs. */
  kill9(): Promise<void>;
  /** SIGTERM and wait: the daemon's graceful shutdown. */
  stop(): Promise<void>;
  /** The daemon's `/admin/status`, or undefined while it does not answer. */
  status(): Promise<DaemonStatus | undefined>;
}

export interface DaemonStatus {
  live: {
    queueDepth: number; pendingRows: number; held: Record<string, number>;
    /** Pairs waiting for their start-up recovery (recover-at-start.ts). */
    recovering?: Record<string, unknown>;
    counters: { committed: number; writes: Record<string, number> };
  };
  store: { inboxPending: number; pairs: Array<{ pair: string; paused: boolean; deadLetters: number }> };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function createDaemonChild(options: { configPath: string; dir: string; daemonUrl: string; port: number }): DaemonChild {
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  let log: WriteStream | undefined;
  const logFile = join(options.dir, 'daemon.log');

  const waitReady = async (): Promise<void> => {
    // Start-up includes migrations (intent recovery goes on in the background): give it as long as a loaded CI
    // machine could need; it usually answers within seconds.
    for (let i = 0; i < 1800; i++) {
      if (!child || child.exitCode !== null) throw new Error(`concord run exited during start-up (code ${child?.exitCode}); see ${logFile}`);
      try {
        const res = await fetch(`${options.daemonUrl}/healthz`);
        if (res.ok) return;
      } catch { /* not listening yet */ }
      await sleep(100);
    }
    throw new Error(`concord run did not answer on ${options.daemonUrl} within 180 s; see ${logFile}`);
  };

  return {
    get running() { return child !== undefined && child.exitCode === null && child.signalCode === null; },
    async start() {
      log ??= createWriteStream(logFile, { flags: 'a' });
      const c = spawn(process.execPath, ['--import', 'tsx', cliEntry, '-c', options.configPath, 'run', '--port', String(options.port)], {
        cwd: repoRoot, env: { ...process.env, CONCORD_LOG_LEVEL: 'info' }, stdio: ['ignore', 'pipe', 'pipe'],
      });
      child = c;
      c.stdout?.pipe(log, { end: false });
      c.stderr?.pipe(log, { end: false });
      exited = new Promise((resolve) => c.once('exit', () => resolve()));
      await waitReady();
    },
    async kill9() {
      if (!child) return;
      child.kill('SIGKILL');
      await exited;
      child = undefined;
    },
    async stop() {
      if (!child) return;
      child.kill('SIGTERM');
      const done = await Promise.race([exited.then(() => true), sleep(30_000).then(() => false)]);
      if (!done) {
        child.kill('SIGKILL');
        await exited;
      }
      child = undefined;
      await new Promise<void>((r) => (log ? log.end(r) : r()));
      log = undefined;
    },
    async status() {
      try {
        const res = await fetch(`${options.daemonUrl}/admin/status`);
        return res.ok ? await res.json() as DaemonStatus : undefined;
      } catch {
        return undefined;
      }
    },
  };
}
