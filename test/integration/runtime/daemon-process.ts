/**
 * `concord run` as a child process (`node --import tsx src/cli/main.ts run -c <config>`) against the
 * HubSpot and Mailchimp emulators over real HTTP, with the demo's config and the shipped mapping, for
 * the daemon's end-to-end tests. The daemon's output is kept for failure messages.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startDemoEmulators, type DemoEmulators } from '../../../src/demo/demo-emulators.js';
import { writeDemoWorkspace, type DemoWorkspace } from '../../../src/demo/demo-workspace.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
export const cliEntry = join(repoRoot, 'src/cli/main.ts');

export interface Exit { code: number | null; signal: NodeJS.Signals | null }

export interface CliRun {
  child: ChildProcess;
  output: () => string;
  exited: Promise<Exit>;
}

/** Runs the CLI with `args` from the repository root. */
export function runCli(args: string[], env: Record<string, string> = {}): CliRun {
  const child = spawn(process.execPath, ['--import', 'tsx', cliEntry, ...args], {
    cwd: repoRoot, env: { ...process.env, CONCORD_LOG_LEVEL: 'info', ...env }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => { output += d.toString(); });
  child.stderr!.on('data', (d: Buffer) => { output += d.toString(); });
  const exited = new Promise<Exit>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return { child, output: () => output, exited };
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `check` until it returns a value (not undefined/false), or fails with `what` after `timeoutMs`. */
export async function eventually<T>(what: string, check: () => Promise<T | undefined | false>, timeoutMs = 60_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < until) {
    try {
      const v = await check();
      if (v !== undefined && v !== false) return v;
    } catch (err) {
      last = err;
    }
    await sleep(150);
  }
  throw new Error(`timed out waiting for ${what}${last ? ` (last error: ${String(last)})` : ''}`);
}

export interface DaemonWorld {
  emulators: DemoEmulators;
  workspace: DemoWorkspace;
  dir: string;
  url: string;
  daemon: CliRun;
  contact(email: string): Promise<{ id: string; properties: Record<string, unknown> } | undefined>;
  member(email: string): Promise<{ id: string; status: string; merge_fields: Record<string, unknown> } | undefined>;
  members(): Promise<Array<{ email_address: string }>>;
  contacts(): Promise<Array<{ id: string; properties: Record<string, unknown> }>>;
  /** Sends SIGTERM and waits for the exit. */
  stop(): Promise<Exit>;
  close(): Promise<void>;
}

export interface DaemonWorldOptions {
  /** Records there before the daemon starts. */
  seed?: { hubspot?: unknown[]; mailchimp?: unknown[] };
  databaseUrl?: string;
  pollSchedule?: string;
  /** The daemon's log level. Default is debug, so tests see (and check) the most it logs. */
  logLevel?: string;
}

export async function startDaemonWorld(options: DaemonWorldOptions = {}): Promise<DaemonWorld> {
  const dir = mkdtempSync(join(tmpdir(), 'concord-daemon-e2e-'));
  const emulators = await startDemoEmulators({ seed: 'daemon-e2e' });
  if (options.seed?.hubspot?.length) await emulators.admin('hubspot', 'POST', 'records/contacts', { records: options.seed.hubspot, notify: false });
  if (options.seed?.mailchimp?.length) await emulators.admin('mailchimp', 'POST', 'records/members', { records: options.seed.mailchimp, notify: false });
  const port = await freePort();
  const workspace = await writeDemoWorkspace({
    dir, port, hubspotBaseUrl: emulators.hubspotBaseUrl, mailchimpBaseUrl: emulators.mailchimpBaseUrl, logLevel: options.logLevel ?? 'debug',
    ...(options.databaseUrl ? { databaseUrl: options.databaseUrl } : {}), ...(options.pollSchedule ? { pollSchedule: options.pollSchedule } : {}),
  });
  const url = `http://127.0.0.1:${port}`;
  const daemon = runCli(['run', '-c', workspace.configPath]);
  let exitInfo: Exit | undefined;
  void daemon.exited.then((e) => { exitInfo = e; });
  await eventually('the daemon to answer /healthz', async () => {
    if (exitInfo) throw new Error(`concord run exited (${JSON.stringify(exitInfo)}):\n${daemon.output()}`);
    return (await fetch(`${url}/healthz`)).ok;
  }, 30_000);
  await emulators.deliverWebhooksTo(url);
  const records = async (system: 'hubspot' | 'mailchimp', object: string) =>
    ((await emulators.admin(system, 'GET', `records/${object}`)).body as { result: unknown[] }).result;
  const world: DaemonWorld = {
    emulators, workspace, dir, url, daemon,
    contacts: async () => (await records('hubspot', 'contacts')) as Array<{ id: string; properties: Record<string, unknown> }>,
    members: async () => (await records('mailchimp', 'members')) as Array<{ email_address: string }>,
    async contact(email) {
      return (await world.contacts()).find((c) => String(c.properties.email).toLowerCase() === email.toLowerCase());
    },
    async member(email) {
      const res = await emulators.admin('mailchimp', 'GET', 'records/members');
      return ((res.body as { result: Array<{ id: string; email_address: string; status: string; merge_fields: Record<string, unknown> }> }).result)
        .find((m) => m.email_address.toLowerCase() === email.toLowerCase());
    },
    async stop() {
      if (exitInfo) return exitInfo;
      daemon.child.kill('SIGTERM');
      return daemon.exited;
    },
    async close() {
      if (!exitInfo) {
        daemon.child.kill('SIGKILL');
        await daemon.exited;
      }
      await emulators.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return world;
}
