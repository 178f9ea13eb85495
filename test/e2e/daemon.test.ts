/**
 * `concord run` end to end on SQLite: the daemon as a child process against the HubSpot and Mailchimp
 * emulators over real HTTP, with the shipped mapping (HubSpot contacts <-> Mailchimp members by email).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoCredentials } from '../../src/demo/demo-emulators.js';
import { eventually, startDaemonWorld, type DaemonWorld } from '../integration/runtime/daemon-process.js';

const seed = {
  hubspot: [
    { properties: { email: 'ada@example.com', firstname: 'Ada', lastname: 'Lovelace', lifecyclestage: 'lead' } },
    { properties: { email: 'alan@example.com', firstname: 'Alan', lastname: 'Turing', lifecyclestage: 'customer' } },
  ],
  mailchimp: [
    // The same person as HubSpot's Ada, the address spelt in another case: matched, not created twice.
    { email_address: 'Ada@Example.com', status: 'subscribed', merge_fields: { FNAME: 'Ada', LNAME: 'Lovelace' } },
    { email_address: 'grace@example.com', status: 'subscribed', merge_fields: { FNAME: 'Grace', LNAME: 'Hopper' } },
  ],
};

describe('concord run against the emulators [sqlite]', () => {
  let world: DaemonWorld;

  beforeAll(async () => {
    world = await startDaemonWorld({ seed });
  });
  afterAll(async () => {
    await world?.close();
  });

  it('syncs what was there before it started, matching people by email', async () => {
    const alan = await eventually('Alan created in Mailchimp', () => world.member('alan@example.com'));
    expect(alan.merge_fields).toMatchObject({ FNAME: 'Alan', LNAME: 'Turing', LIFECYCLE: 'customer' });
    const members = await world.members();
    expect(members.filter((m) => m.email_address.toLowerCase() === 'ada@example.com')).toHaveLength(1);
    // create.to_left is false in the mapping: Grace stays a Mailchimp-only member.
    expect(await world.contact('grace@example.com')).toBeUndefined();
    expect(await world.contacts()).toHaveLength(2);
  });

  it('carries a HubSpot change to Mailchimp by webhook', async () => {
    const ada = (await world.contact('ada@example.com'))!;
    expect((await world.emulators.admin('hubspot', 'PATCH', `records/contacts/${ada.id}`, { properties: { firstname: 'Augusta' } })).status).toBe(200);
    await eventually('FNAME Augusta in Mailchimp', async () => (await world.member('ada@example.com'))?.merge_fields.FNAME === 'Augusta');
    const log = (await world.emulators.admin('hubspot', 'GET', 'webhooks')).body as { result?: { deliveries?: Array<{ state: string }> } };
    expect(JSON.stringify(log)).toContain('delivered');
  });

  it('carries a Mailchimp change to HubSpot by webhook', async () => {
    expect((await world.emulators.admin('mailchimp', 'PATCH', 'records/members/ada@example.com', { merge_fields: { LNAME: 'King' } })).status).toBe(200);
    await eventually('lastname King in HubSpot', async () => (await world.contact('ada@example.com'))?.properties.lastname === 'King');
  });

  it('carries an unsubscribe in Mailchimp to HubSpot as an email opt-out', async () => {
    expect((await world.emulators.admin('mailchimp', 'PATCH', 'records/members/alan@example.com', { status: 'unsubscribed' })).status).toBe(200);
    await eventually('hs_email_optout true in HubSpot', async () => String((await world.contact('alan@example.com'))?.properties.hs_email_optout) === 'true');
  });

  it('answers /healthz, /readyz and /metrics', async () => {
    const health = await fetch(`${world.url}/healthz`);
    expect(health.status).toBe(200);
    const ready = await fetch(`${world.url}/readyz`);
    expect(ready.status).toBe(200);
    const readyBody = await ready.json() as { status: string; checks: Record<string, { ok: boolean }> };
    expect(readyBody.status).toBe('ready');
    expect(Object.keys(readyBody.checks)).toEqual(expect.arrayContaining(['store', 'system:hubspot', 'system:mailchimp']));
    const metrics = await (await fetch(`${world.url}/metrics`)).text();
    expect(metrics).toMatch(/concord_webhook_events_received_total\{system="hubspot"\} [1-9]/);
    expect(metrics).toMatch(/concord_writes_total\{system="mailchimp",result="ok"\} [1-9]/);
  });

  it('never writes a token, API key or webhook secret to its log', async () => {
    const log = world.daemon.output();
    expect(log).toContain('"event":"daemon:process:started"');
    for (const secret of [demoCredentials.hubspotToken, demoCredentials.mailchimpApiKey, demoCredentials.hubspotClientSecret, demoCredentials.mailchimpWebhookSecret]) {
      expect(log).not.toContain(secret);
    }
    expect(log).not.toMatch(/authorization"\s*:\s*"(Bearer|Basic)/i);
  });

  it('exits 0 on SIGTERM after a graceful shutdown', async () => {
    const exit = await world.stop();
    expect(exit).toEqual({ code: 0, signal: null });
    expect(world.daemon.output()).toContain('shutdown:process:done');
  });
});

describe('concord run polling [sqlite]', () => {
  let world: DaemonWorld;

  beforeAll(async () => {
    world = await startDaemonWorld({ seed: { hubspot: [seed.hubspot[0]!] }, pollSchedule: '*/2 * * * * *' });
  });
  afterAll(async () => {
    await world?.close();
  });

  it('catches a change whose webhook was lost by polling', async () => {
    await eventually('Ada created in Mailchimp', () => world.member('ada@example.com'));
    // Every HubSpot delivery is dropped from now on: only a poll can see the next change.
    await world.emulators.admin('hubspot', 'PUT', 'webhooks', { chaos: { dropRate: 1 } });
    const ada = (await world.contact('ada@example.com'))!;
    await world.emulators.admin('hubspot', 'PATCH', `records/contacts/${ada.id}`, { properties: { firstname: 'Countess' } });
    await eventually('FNAME Countess in Mailchimp', async () => (await world.member('ada@example.com'))?.merge_fields.FNAME === 'Countess')
      .catch((err: Error) => { throw new Error(`${err.message}; daemon output:\n${world.daemon.output().slice(-3000)}`); });
    const log = JSON.stringify((await world.emulators.admin('hubspot', 'GET', 'webhooks')).body);
    expect(log).toContain('dropped');
  });
});
