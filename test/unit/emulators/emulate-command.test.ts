import { spawn, type ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';

let child: ChildProcess | undefined;
afterEach(() => { if (child && child.exitCode === null) child.kill('SIGTERM'); child = undefined; });

/** Starts `concord emulate ...` as a user would and collects stdout until `done` says enough. */
function run(args: string[], done: (out: string) => boolean): Promise<{ out: string; err: string; code: number | null }> {
  return new Promise((resolve) => {
    child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'emulate', ...args], { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout?.on('data', (c: Buffer) => { out += c.toString(); if (done(out)) resolve({ out, err, code: null }); });
    child.stderr?.on('data', (c: Buffer) => { err += c.toString(); });
    child.on('exit', (code) => resolve({ out, err, code }));
  });
}

describe('concord emulate', { timeout: 90_000 }, () => {
  it('runs the Mailchimp emulator alone and prints a URL and an API key that work', async () => {
    const { out } = await run(['mailchimp', '--port', '0', '--seed', 'cli'], (o) => o.includes('Ctrl-C'));
    const url = /listening on (\S+)/.exec(out)?.[1];
    const apiKey = /apiKey:\s+(\S+)/.exec(out)?.[1];
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(apiKey).toMatch(/-us14$/);
    const ping = await fetch(`${url}/3.0/ping`, { headers: { authorization: `Basic ${Buffer.from(`u:${apiKey}`).toString('base64')}` } });
    expect(ping.status).toBe(200);
  });

  it('prints the same HubSpot token for the same seed', async () => {
    const token = async () => {
      const { out } = await run(['hubspot', '--seed', 'same'], (o) => o.includes('Ctrl-C'));
      child?.kill('SIGTERM');
      return /privateAppToken:\s+(\S+)/.exec(out)?.[1];
    };
    const a = await token();
    expect(a).toMatch(/^pat-na1-/);
    expect(await token()).toBe(a);
  });

  it('refuses an unknown provider and a bad port with a usage error', async () => {
    const unknown = await run(['salesforce'], () => false);
    expect(unknown.code).not.toBe(0);
    expect(unknown.err).toContain('Allowed choices are hubspot, mailchimp');
    const port = await run(['hubspot', '--port', '70000'], () => false);
    expect(port.code).not.toBe(0);
    expect(port.err).toContain('expected a whole number from 0 to 65535');
  });
});
