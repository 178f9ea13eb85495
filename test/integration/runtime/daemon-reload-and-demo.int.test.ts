/**
 * Hot reload of mappings in a running daemon (a valid edit takes effect between work items; a broken one
 * is refused and the running mapping stays), and `concord demo` as a whole: random edits on both sides
 * converge, and the report is written.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoEmulators, type DemoEmulators } from '../../../src/demo/demo-emulators.js';
import { writeDemoWorkspace, type DemoWorkspace } from '../../../src/demo/demo-workspace.js';
import { runDemo } from '../../../src/demo/run-demo.js';
import type { ReloadOutcome } from '../../../src/runtime/lifecycle/hot-reload.js';
import { startDaemon, type RunningDaemon } from '../../../src/runtime/daemon/daemon.js';
import type { EngineSession } from '../../../src/engine/session/engine-session.js';
import { silentLogger } from '../../../src/shared/logger.js';
import { eventually, sleep } from './daemon-process.js';

describe('hot reload of mappings in a running daemon', () => {
  const dir = mkdtempSync(join(tmpdir(), 'concord-daemon-reload-'));
  let emulators: DemoEmulators;
  let workspace: DemoWorkspace;
  let daemon: RunningDaemon;
  const outcomes: Array<ReloadOutcome<EngineSession>> = [];
  const hubspotLastname = async () => {
    const all = ((await emulators.admin('hubspot', 'GET', 'records/contacts')).body as { result: Array<{ properties: Record<string, unknown> }> }).result;
    return all.find((c) => c.properties.email === 'ada@example.com')?.properties;
  };

  beforeAll(async () => {
    emulators = await startDemoEmulators({ seed: 'daemon-reload' });
    await emulators.admin('hubspot', 'POST', 'records/contacts', { records: [{ properties: { email: 'ada@example.com', firstname: 'Ada', lastname: 'Lovelace', lifecyclestage: 'lead' } }] });
    workspace = await writeDemoWorkspace({ dir, hubspotBaseUrl: emulators.hubspotBaseUrl, mailchimpBaseUrl: emulators.mailchimpBaseUrl });
    daemon = await startDaemon({ configPath: workspace.configPath, port: 0, log: silentLogger, exit: () => {}, retry: { attempts: 3, baseMs: 20 } });
    daemon.hotReload.onReload((o) => outcomes.push(o));
    await emulators.deliverWebhooksTo(daemon.url);
    await eventually('Ada in Mailchimp', async () => (await emulators.admin('mailchimp', 'GET', 'records/members')).body !== null &&
      ((await emulators.admin('mailchimp', 'GET', 'records/members')).body as { result: unknown[] }).result.length === 1);
  });
  afterAll(async () => {
    await daemon?.stop('test done');
    await emulators?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps the running mapping when an edit is broken, and applies a valid edit', async () => {
    const original = readFileSync(workspace.mappingPath, 'utf8');
    writeFileSync(workspace.mappingPath, original.replace('direction: both, conflict: last-write-wins }', 'direction: sideways, conflict: last-write-wins }'));
    await eventually('the broken edit to be refused', async () => outcomes.some((o) => !o.ok));
    // Still running on the old mapping: LNAME flows from Mailchimp to HubSpot.
    await emulators.admin('mailchimp', 'PATCH', 'records/members/ada@example.com', { merge_fields: { LNAME: 'King' } });
    await eventually('lastname King in HubSpot', async () => (await hubspotLastname())?.lastname === 'King');

    // Valid edit: last names now flow only from HubSpot to Mailchimp.
    writeFileSync(workspace.mappingPath, original.replace(
      '{ left: lastname, right: merge_fields.LNAME, direction: both, conflict: last-write-wins }',
      '{ left: lastname, right: merge_fields.LNAME, direction: left-to-right }'));
    await eventually('the valid edit to be applied', async () => outcomes.at(-1)?.ok === true);
    expect(daemon.mappings()[0]!.fields.find((f) => f.left === 'lastname')?.direction).toBe('left-to-right');
    // Mailchimp's fired_at has whole seconds and the connector's event id is built from it: a second
    // profile event for the same member within the same second would be taken for a replay.
    await sleep(1100);
    await emulators.admin('mailchimp', 'PATCH', 'records/members/ada@example.com', { merge_fields: { LNAME: 'Byron', FNAME: 'Augusta' } });
    await eventually('firstname Augusta in HubSpot', async () => (await hubspotLastname())?.firstname === 'Augusta');
    await emulators.webhooksIdle();
    await sleep(300);
    expect((await hubspotLastname())?.lastname).toBe('King');
  });
});

describe('concord demo', () => {
  const dir = mkdtempSync(join(tmpdir(), 'concord-demo-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('seeds both sides, edits at random, and ends with both sides agreeing and a report', async () => {
    const out = new PassThrough();
    let text = '';
    out.on('data', (d: Buffer) => { text += d.toString(); });
    const result = await runDemo({ seconds: 3, contacts: 30, seed: 'vitest', dir, out: out as unknown as NodeJS.WriteStream });
    expect(text).toContain('both sides agree on every one');
    expect(result.agreed).toBe(true);
    expect(existsSync(result.reportPath)).toBe(true);
    expect(readFileSync(result.reportPath, 'utf8')).toContain('<svg');
    expect(text).toMatch(/edits: \d+ in HubSpot, \d+ in Mailchimp, \d+ on both sides at once, \d+ unsubscribes/);
  }, 120_000);
});
