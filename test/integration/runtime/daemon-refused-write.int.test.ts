/**
 * The daemon in-process against the emulators, on the shipped mapping (Mailchimp owns consent): a contact opted out
 * in HubSpot and subscribed in Mailchimp. HubSpot refuses the write that would undo the opt-out, for good; the daemon
 * parks it in the dead-letter queue at once with HubSpot's reason, and later work on the same contact neither sends
 * it again nor parks it twice, while the contact's other fields still flow.
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
interface Contact { id: string; properties: Record<string, unknown> }

describe('daemon: a write the target refuses for good', () => {
  const dir = mkdtempSync(join(tmpdir(), 'concord-daemon-refused-'));
  let emulators: DemoEmulators;
  let workspace: DemoWorkspace;
  let daemon: RunningDaemon;

  const member = async (email: string) => ((await emulators.admin('mailchimp', 'GET', 'records/members')).body as { result: Member[] }).result
    .find((m) => m.email_address === email);
  const contact = async (email: string) => ((await emulators.admin('hubspot', 'GET', 'records/contacts')).body as { result: Contact[] }).result
    .find((c) => c.properties.email === email);
  const hubspotLetters = async () => (await daemon.status()).store.deadLettersBySystem.hubspot ?? 0;

  beforeAll(async () => {
    emulators = await startDemoEmulators({ seed: 'daemon-refused' });
    await emulators.admin('hubspot', 'POST', 'records/contacts', {
      records: [{ properties: { email: 'dave@example.com', firstname: 'Dave', lifecyclestage: 'customer', hs_email_optout: 'true' } }], notify: false,
    });
    await emulators.admin('mailchimp', 'POST', 'records/members', {
      records: [{ email_address: 'dave@example.com', status: 'subscribed', merge_fields: { FNAME: 'Dave' } }], notify: false,
    });
    workspace = await writeDemoWorkspace({ dir, port: await freePort(), hubspotBaseUrl: emulators.hubspotBaseUrl, mailchimpBaseUrl: emulators.mailchimpBaseUrl });
    daemon = await startDaemon({ configPath: workspace.configPath, log: silentLogger, exit: () => {}, retry: { attempts: 3, baseMs: 20 } });
    await emulators.deliverWebhooksTo(daemon.url);
  });
  afterAll(async () => {
    await daemon?.stop('test done');
    await emulators?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('parks the refused write once, with HubSpot\'s reason, and later changes of the contact still flow without parking it again', async () => {
    await eventually('a dead letter for hubspot', async () => (await hubspotLetters()) >= 1);
    const listed = await runCli(['dlq', 'list', '--json', '-c', workspace.configPath]);
    expect((await listed.exited).code).toBe(0);
    const out = listed.output();
    const letters = JSON.parse(out.slice(out.indexOf('['))) as Array<{ error: string; attempts: number }>;
    expect(letters).toHaveLength(1);
    // Parked at the first refusal: another attempt could only be refused again.
    expect(letters[0]!.attempts).toBe(1);
    expect(letters[0]!.error).toContain('hs_email_optout on hubspot');
    expect(letters[0]!.error).toContain('does not let an integration undo an opt-out');
    expect((await contact('dave@example.com'))?.properties.hs_email_optout).toBe('true');

    // The contact is worked on again: the new name reaches Mailchimp; the refused opt-out is neither sent nor parked again.
    const dave = (await contact('dave@example.com'))!;
    await emulators.admin('hubspot', 'PATCH', `records/contacts/${dave.id}`, { properties: { firstname: 'David' } });
    await eventually('the new name in Mailchimp', async () => (await member('dave@example.com'))?.merge_fields.FNAME === 'David');
    expect(await hubspotLetters()).toBe(1);
    expect((await member('dave@example.com'))?.status).toBe('subscribed');
    expect((await contact('dave@example.com'))?.properties.hs_email_optout).toBe('true');
  });
});
