/**
 * The daemon in-process against the HubSpot and Mailchimp emulators over real HTTP, on the shipped contacts mapping
 * plus a "referred by" field (the referrer's HubSpot id) translated through the pair's own links (`lookup`): a contact whose referrer is not
 * linked yet waits, and goes through on its own once the referrer is linked, with no further change of its own.
 * Polls are made rare, so only the daemon's own retry of waiting work can bring the contact over.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoCredentials } from '../../../src/demo/demo-emulators.js';
import { readShippedMapping, writeDemoWorkspace } from '../../../src/demo/demo-workspace.js';
import { startHubSpotEmulator, type RunningHubSpotEmulator } from '../../../src/emulators/hubspot/hubspot-emulator.js';
import { startMailchimpEmulator, type RunningMailchimpEmulator } from '../../../src/emulators/mailchimp/mailchimp-emulator.js';
import { startDaemon, type RunningDaemon } from '../../../src/runtime/daemon/daemon.js';
import { silentLogger } from '../../../src/shared/logger.js';
import { eventually, freePort } from './daemon-process.js';

interface Member { id: string; email_address: string; merge_fields: Record<string, unknown> }

describe('daemon: a record waiting on a lookup', { timeout: 240_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'concord-daemon-waiting-'));
  let hubspot: RunningHubSpotEmulator;
  let mailchimp: RunningMailchimpEmulator;
  let daemon: RunningDaemon;

  const admin = async (to: { url: string }, method: string, path: string, body?: unknown) => {
    const res = await fetch(`${to.url}/__emulator/${path}`, {
      method, headers: { 'content-type': 'application/json' }, ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    expect(res.status, `${method} ${path}`).toBeLessThan(300);
    return (await res.json() as { result: unknown }).result;
  };
  const member = async (email: string) => ((await admin(mailchimp, 'GET', 'records/members')) as Member[]).find((m) => m.email_address === email);
  const createContact = async (properties: Record<string, string>) =>
    ((await admin(hubspot, 'POST', 'records/contacts', { records: [{ properties }], notify: true })) as string[])[0]!;

  beforeAll(async () => {
    hubspot = await startHubSpotEmulator({
      seed: 'daemon-waiting',
      credentials: { privateAppTokens: [demoCredentials.hubspotToken], clientSecret: demoCredentials.hubspotClientSecret },
      customProperties: { contacts: ['tags'] },
      webhooks: { retryBaseDelayMs: 200 },
    });
    mailchimp = await startMailchimpEmulator({
      seed: 'daemon-waiting', apiKey: demoCredentials.mailchimpApiKey,
      lists: [{ id: demoCredentials.mailchimpListId, name: 'Concord test audience', mergeFields: [{ tag: 'COMPANY' }, { tag: 'LIFECYCLE' }, { tag: 'REFERRER' }] }],
      webhooks: { retryBaseDelayMs: 200 },
    });
    // The connector reads the contact properties its facts declare; `jobtitle` carries the referrer's id here.
    const mapping = (await readShippedMapping())
      .replace(/^fields:\n/m, 'fields:\n  - { left: jobtitle, right: merge_fields.REFERRER, direction: left-to-right, transform: { lookup: crm-marketing-contacts } }\n')
      .replace(/^poll: .*$/m, 'poll: "0 0 1 1 *"');
    const workspace = await writeDemoWorkspace({
      dir, port: await freePort(), hubspotBaseUrl: hubspot.url, mailchimpBaseUrl: `${mailchimp.url}/3.0`, mappingText: mapping,
    });
    daemon = await startDaemon({ configPath: workspace.configPath, log: silentLogger, exit: () => {} });
    await admin(hubspot, 'PUT', 'webhooks', { url: `${daemon.url}/webhooks/hubspot` });
    await admin(mailchimp, 'PUT', 'webhooks', { url: `${daemon.url}/webhooks/mailchimp/${demoCredentials.mailchimpWebhookSecret}` });
  });
  afterAll(async () => {
    await daemon?.stop('test done');
    await Promise.all([hubspot?.close(), mailchimp?.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('holds the contact while its referrer is not linked, and syncs it once the referrer is, with no change of its own', async () => {
    // The referrer is not in the mapping's filter yet, so it is not linked.
    const ann = await createContact({ email: 'ann@example.com', firstname: 'Ann', lifecyclestage: 'subscriber' });
    await createContact({ email: 'bob@example.com', firstname: 'Bob', lifecyclestage: 'lead', jobtitle: ann });
    const waitingNow = async () => (await daemon.status()).live.waiting['crm-marketing-contacts'];
    await eventually('the contact held as waiting', async () => (await waitingNow()) === 1, 60_000);
    expect((await daemon.status()).live.counters.waiting).toBeGreaterThanOrEqual(1);
    expect(await member('bob@example.com')).toBeUndefined();
    expect(await member('ann@example.com')).toBeUndefined();

    // Only the referrer changes: it enters the filter, is created in Mailchimp and linked.
    await admin(hubspot, 'PATCH', `records/contacts/${ann}`, { properties: { lifecyclestage: 'lead' } });
    const annMember = await eventually('the referrer in Mailchimp', () => member('ann@example.com'), 60_000);
    const bob = await eventually('the waiting contact in Mailchimp', () => member('bob@example.com'), 60_000);
    expect(bob.merge_fields).toMatchObject({ FNAME: 'Bob', REFERRER: annMember.id });
    await eventually('nothing left waiting', async () => (await waitingNow()) === 0);
  });
});
