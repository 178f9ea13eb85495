/**
 * The daemon in-process against the emulators, with the operator's commands run as a user runs them
 * (child processes on the same SQLite file): a write that keeps failing goes to the dead-letter queue
 * and the daemon goes on; `concord dlq retry` puts it back and it lands; a mass delete pauses the pair
 * (mass-change guard) until `concord approve`; `concord status` shows all of it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoEmulators, type DemoEmulators } from '../../../src/demo/demo-emulators.js';
import { writeDemoWorkspace, type DemoWorkspace } from '../../../src/demo/demo-workspace.js';
import { startDaemon, type RunningDaemon } from '../../../src/runtime/daemon/daemon.js';
import { silentLogger } from '../../../src/shared/logger.js';
import { eventually, freePort, runCli } from './daemon-process.js';

interface Member { email_address: string; status: string; merge_fields: Record<string, unknown> }

describe('daemon operations: dead letters, dlq retry, mass-change guard, approve, status', () => {
  const dir = mkdtempSync(join(tmpdir(), 'concord-daemon-ops-'));
  let emulators: DemoEmulators;
  let workspace: DemoWorkspace;
  let daemon: RunningDaemon;
  const people = Array.from({ length: 12 }, (_, i) => `person${i}@example.com`);

  const members = async () => ((await emulators.admin('mailchimp', 'GET', 'records/members')).body as { result: Member[] }).result;
  const member = async (email: string) => (await members()).find((m) => m.email_address === email);
  const cli = async (...args: string[]) => {
    const run = runCli([...args, '-c', workspace.configPath]);
    const exit = await run.exited;
    return { code: exit.code, out: run.output() };
  };

  beforeAll(async () => {
    emulators = await startDemoEmulators({ seed: 'daemon-ops' });
    await emulators.admin('hubspot', 'POST', 'records/contacts', {
      records: people.map((email, i) => ({ properties: { email, firstname: `P${i}`, lifecyclestage: 'lead' } })), notify: false,
    });
    workspace = await writeDemoWorkspace({ dir, port: await freePort(), hubspotBaseUrl: emulators.hubspotBaseUrl, mailchimpBaseUrl: emulators.mailchimpBaseUrl });
    daemon = await startDaemon({ configPath: workspace.configPath, log: silentLogger, exit: () => {}, retry: { attempts: 3, baseMs: 20 } });
    await emulators.deliverWebhooksTo(daemon.url);
    await eventually('every contact in Mailchimp', async () => (await members()).length === people.length);
  }, 120_000);
  afterAll(async () => {
    await daemon?.stop('test done');
    await emulators?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('sends a write that keeps failing to the dead-letter queue, goes on, and retries it on `concord dlq retry`', async () => {
    await emulators.admin('mailchimp', 'POST', 'faults', { route: 'POST /3.0/lists/:listId', kind: 'error', status: 400 });
    await emulators.admin('hubspot', 'POST', 'records/contacts', {
      records: [{ properties: { email: 'late@example.com', firstname: 'Late', lifecyclestage: 'lead' } }], notify: true,
    });
    await eventually('a dead letter', async () => (await daemon.status()).store.deadLettersBySystem.mailchimp === 1)
      .catch(async (e: Error) => { throw new Error(`${e.message}: ${JSON.stringify((await emulators.admin('mailchimp', 'GET', 'requests')).body)} ${JSON.stringify(await daemon.status())}`); });
    // The daemon goes on: other changes still flow.
    const p0 = (await emulators.admin('hubspot', 'GET', 'records/contacts')).body as { result: Array<{ id: string; properties: Record<string, unknown> }> };
    const first = p0.result.find((c) => c.properties.email === people[0])!;
    await emulators.admin('hubspot', 'PATCH', `records/contacts/${first.id}`, { properties: { firstname: 'Still' } });
    await eventually('the next change to arrive', async () => (await member(people[0]!))?.merge_fields.FNAME === 'Still');

    const listed = await cli('dlq', 'list', '--json');
    expect(listed.code).toBe(0);
    const letters = JSON.parse(listed.out.slice(listed.out.indexOf('['))) as Array<{ id: string; pair: string; error: string; attempts: number }>;
    expect(letters).toHaveLength(1);
    // Each failed run of the item counts its attempts (3 here); a record announced twice may fail twice.
    expect(letters[0]!.attempts % 3).toBe(0);
    expect(letters[0]!.pair).toBe('crm-marketing-contacts');

    await emulators.admin('mailchimp', 'DELETE', 'faults');
    const retried = await cli('dlq', 'retry', letters[0]!.id);
    expect(retried.code).toBe(0);
    await eventually('the retried create to land', () => member('late@example.com'));
    expect((await daemon.status()).store.deadLettersBySystem.mailchimp ?? 0).toBe(0);
    expect((await cli('dlq', 'drop', letters[0]!.id)).out).toContain('CONCORD_ERR_RUNTIME_DEAD_LETTER_UNKNOWN');
  }, 120_000);

  it('pauses the pair when a mass delete would archive most members, and carries it out after `concord approve`', async () => {
    const contacts = ((await emulators.admin('hubspot', 'GET', 'records/contacts')).body as { result: Array<{ id: string; properties: Record<string, unknown> }> }).result;
    const doomed = contacts.filter((c) => people.slice(2).includes(String(c.properties.email)));
    expect(doomed).toHaveLength(10);
    for (const c of doomed) await emulators.admin('hubspot', 'DELETE', `records/contacts/${c.id}`);
    await eventually('the pair to be paused', async () => (await daemon.status()).store.pairs[0]?.paused === true);
    const archivedBefore = (await members()).filter((m) => m.status === 'archived').length;
    expect(archivedBefore).toBeLessThan(doomed.length);

    const status = await cli('status');
    expect(status.code).toBe(0);
    expect(status.out).toMatch(/crm-marketing-contacts .*PAUSED: mass-change guard/);
    expect(status.out).toMatch(/hubspot: healthy, circuit closed/);

    const approved = await cli('approve', '--pair', 'crm-marketing-contacts');
    expect(approved.code).toBe(0);
    await eventually('every deleted contact archived in Mailchimp', async () =>
      (await members()).filter((m) => m.status === 'archived').length === doomed.length);
    expect((await cli('approve', '--pair', 'crm-marketing-contacts')).out).toContain('CONCORD_ERR_RUNTIME_PAIR_NOT_PAUSED');
  }, 120_000);

  it('finds a delete that no webhook announced and no poll can see with the reconcile pass', async () => {
    await emulators.admin('hubspot', 'PUT', 'webhooks', { chaos: { dropRate: 1 } });
    const contacts = ((await emulators.admin('hubspot', 'GET', 'records/contacts')).body as { result: Array<{ id: string; archived?: boolean; properties: Record<string, unknown> }> }).result;
    const victim = contacts.find((c) => c.properties.email === people[1])!;
    await emulators.admin('hubspot', 'DELETE', `records/contacts/${victim.id}`);
    await emulators.webhooksIdle();
    await daemon.pollNow();
    expect((await member(people[1]!))?.status).not.toBe('archived');
    await daemon.reconcileNow();
    await eventually('the member archived after reconcile', async () => (await member(people[1]!))?.status === 'archived');
    const drift = await (await fetch(`${daemon.url}/metrics`)).text();
    expect(drift).toMatch(/concord_reconcile_drift\{pair="crm-marketing-contacts",kind="deleted"\} [1-9]/);
  }, 120_000);
});
