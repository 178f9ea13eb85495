/**
 * A bad mapping file stops `concord run` before anything starts, naming the file, line and column of
 * each problem; nothing listens and the exit code is 1. A second SIGTERM during a shutdown that waits
 * for a hung write exits at once.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readShippedMapping, writeDemoWorkspace } from '../../src/demo/demo-workspace.js';
import { eventually, freePort, runCli, startDaemonWorld } from '../integration/runtime/daemon-process.js';

describe('concord run start-up', () => {
  const dir = mkdtempSync(join(tmpdir(), 'concord-daemon-startup-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses to start with a bad mapping and names file:line:col', async () => {
    const shipped = await readShippedMapping();
    // `both-ways` is not a direction: the problem sits on the firstname field's line.
    const broken = shipped.replace('{ left: firstname, right: merge_fields.FNAME, direction: both,', '{ left: firstname, right: merge_fields.FNAME, direction: both-ways,');
    expect(broken).not.toBe(shipped);
    const port = await freePort();
    const ws = await writeDemoWorkspace({ dir, port, hubspotBaseUrl: 'http://127.0.0.1:9', mailchimpBaseUrl: 'http://127.0.0.1:9/3.0', mappingText: broken });
    const line = broken.split('\n').findIndex((l) => l.includes('both-ways')) + 1;
    const run = runCli(['run', '-c', ws.configPath]);
    const exit = await run.exited;
    expect(exit.code).toBe(1);
    const out = run.output();
    expect(out).toContain('CONCORD_ERR_RUNTIME_STARTUP_INVALID');
    expect(out).toMatch(new RegExp(`hubspot-mailchimp\\.contacts\\.yaml:${line}:\\d+`));
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
  });

  it('exits at once (143) on a second SIGTERM while the first waits for work in flight', async () => {
    const world = await startDaemonWorld({ seed: { hubspot: [{ properties: { email: 'ada@example.com', firstname: 'Ada', lifecyclestage: 'lead' } }] } });
    try {
      await eventually('Ada in Mailchimp', () => world.member('ada@example.com'));
      // Every Mailchimp call from now on hangs: the next work item stays in flight.
      await world.emulators.admin('mailchimp', 'POST', 'faults', { route: '*', kind: 'hang' });
      const ada = (await world.contact('ada@example.com'))!;
      await world.emulators.admin('hubspot', 'PATCH', `records/contacts/${ada.id}`, { properties: { firstname: 'Augusta' } });
      await eventually('work in flight', async () => {
        const status = await (await fetch(`${world.url}/admin/status`)).json() as { live: { queueDepth: number } };
        return status.live.queueDepth > 0;
      });
      world.daemon.child.kill('SIGTERM');
      await eventually('the shutdown to start', async () => world.daemon.output().includes('shutdown:process:started'));
      world.daemon.child.kill('SIGTERM');
      expect(await world.daemon.exited).toEqual({ code: 143, signal: null });
      expect(world.daemon.output()).toContain('shutdown:process:forced');
    } finally {
      await world.close();
    }
  });
});
