/**
 * HubSpot <-> Mailchimp through the daemon (`startDaemon`, what `concord run` starts) on SQLite and Postgres: a
 * config file and the shipped mapping in a directory of their own, both emulators delivering real signed webhooks
 * to the daemon's webhook server over loopback. The fallback poll (every 5 minutes in the mapping) never fires
 * during a case, so a change that arrives got there by webhook, unless the case polls on purpose (`pollNow`, what
 * the cron tick runs).
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHubSpotEmulator, type RunningHubSpotEmulator } from '../../src/emulators/hubspot/hubspot-emulator.js';
import { startMailchimpEmulator, type RunningMailchimpEmulator } from '../../src/emulators/mailchimp/mailchimp-emulator.js';
import { startDaemon, type RunningDaemon } from '../../src/runtime/daemon/daemon.js';
import { silentLogger } from '../../src/shared/logger.js';
import { verifyAuditChain } from '../../src/store/audit-verify.js';
import { openStore } from '../../src/store/migrate.js';
import { createPostgresTestStore, createSqliteTestStore, isPostgresAvailable } from '../support/db.js';
import { emulatorAdmin, type EmulatorAdmin } from '../contract/emulator-admin.js';

const LIST_ID = 'daemonlist1';
const HUBSPOT_SECRET = 'e2e-hubspot-client-secret-0001';
const MAILCHIMP_SECRET = 'e2e-mailchimp-url-secret-0001';

/** Waits until `check` holds; the bound only keeps a broken run from hanging, it is not a timing assertion. */
async function eventually(check: () => Promise<boolean>, what: string, boundMs = 30_000): Promise<void> {
  const until = Date.now() + boundMs;
  while (Date.now() < until) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`still not true after ${boundMs} ms: ${what}`);
}

for (const dialect of ['sqlite', 'postgres'] as const) {
  const run = dialect === 'postgres' && !isPostgresAvailable() && !process.env.CI ? describe.skip : describe;
  run(`HubSpot <-> Mailchimp through the daemon [${dialect}]`, { timeout: 60_000 }, () => {
    let hubspot: RunningHubSpotEmulator;
    let mailchimp: RunningMailchimpEmulator;
    let daemon: RunningDaemon;
    let hs: EmulatorAdmin;
    let mc: EmulatorAdmin;
    let dir: string;
    let disposeStore: () => Promise<void>;
    let databaseUrl: string;

    const contact = async (email: string) =>
      (await hs.records('contacts') as Array<{ id: string; archived: boolean; properties: Record<string, string | null> }>).find((c) => c.properties.email === email);
    const member = async (email: string) =>
      (await mc.records('members') as Array<{ id: string; email_address: string; status: string; merge_fields: Record<string, unknown> }>).find((m) => m.email_address === email);
    /** Webhooks sent and everything they started processed. */
    const settle = async () => {
      await hubspot.webhooks.idle();
      await mailchimp.webhooks.idle();
      await eventually(() => daemon.isIdle(), 'the daemon is idle');
    };

    beforeAll(async () => {
      hubspot = await startHubSpotEmulator({ seed: `daemon-${dialect}`, customProperties: { contacts: ['tags'] }, credentials: { clientSecret: HUBSPOT_SECRET } });
      mailchimp = await startMailchimpEmulator({
        seed: `daemon-${dialect}`, lists: [{ id: LIST_ID, name: 'Daemon audience', mergeFields: [{ tag: 'COMPANY' }, { tag: 'LIFECYCLE' }] }],
      });
      hs = emulatorAdmin(hubspot.url);
      mc = emulatorAdmin(mailchimp.url);
      await hs.seed('contacts', [
        { properties: { email: 'ada@example.com', firstname: 'Ada', lastname: 'Lovelace', lifecyclestage: 'lead' } },
        { properties: { email: 'grace@example.com', firstname: 'Grace', lastname: 'Hopper', lifecyclestage: 'customer' } },
      ]);
      await mc.seed('members', [{ email_address: 'ada@example.com', merge_fields: { FNAME: 'Ada', LNAME: 'Lovelace' } }]);

      const made = dialect === 'sqlite' ? await createSqliteTestStore() : await createPostgresTestStore();
      databaseUrl = 'file' in made ? made.file : made.url;
      await made.store.close();
      disposeStore = made.dispose;
      dir = mkdtempSync(join(tmpdir(), 'concord-daemon-e2e-'));
      mkdirSync(join(dir, 'mappings'));
      copyFileSync(new URL('../../mappings/hubspot-mailchimp.contacts.yaml', import.meta.url), join(dir, 'mappings', 'hubspot-mailchimp.contacts.yaml'));
      writeFileSync(join(dir, 'concord.yaml'), [
        `database: { url: "${databaseUrl}" }`,
        'http: { host: 127.0.0.1, port: 0 }',
        `mappings: ${join(dir, 'mappings')}`,
        'logging: { level: silent }',
        'systems:',
        '  hubspot:',
        `    base_url: ${hubspot.url}`,
        '    emulator: true',
        `    credentials: { access_token: ${hubspot.credentials.privateAppToken} }`,
        `    webhook_secret: ${HUBSPOT_SECRET}`,
        '  mailchimp:',
        `    base_url: ${mailchimp.url}/3.0`,
        '    emulator: true',
        `    credentials: { api_key: ${mailchimp.credentials.apiKey} }`,
        `    webhook_secret: ${MAILCHIMP_SECRET}`,
        '',
      ].join('\n'));
      daemon = await startDaemon({
        configPath: join(dir, 'concord.yaml'), cwd: dir, env: { ...process.env, MAILCHIMP_LIST_ID: LIST_ID },
        log: silentLogger, exit: () => {}, retry: { attempts: 5, baseMs: 50 }, port: 0,
      });
      await hs.call('PUT', 'webhooks', { url: `${daemon.url}/webhooks/hubspot`, legacySignature: 'none' });
      await mc.call('PUT', 'webhooks', { url: `${daemon.url}/webhooks/mailchimp/${MAILCHIMP_SECRET}` });
    });

    afterAll(async () => {
      expect(await daemon?.stop('test over')).toBe(0);
      await hubspot?.close();
      await mailchimp?.close();
      await disposeStore?.();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it('syncs what exists at start: links by email and creates the CRM-only contact in the audience', async () => {
      await eventually(async () => (await member('grace@example.com')) !== undefined, 'grace reaches Mailchimp');
      await settle();
      expect((await member('grace@example.com'))?.merge_fields).toMatchObject({ FNAME: 'Grace', LNAME: 'Hopper', LIFECYCLE: 'customer' });
      expect((await member('ada@example.com'))?.merge_fields.LIFECYCLE).toBe('lead');
    });

    it('a HubSpot edit arrives by webhook and reaches Mailchimp', async () => {
      await hs.edit('contacts', (await contact('ada@example.com'))!.id, { properties: { lastname: 'King' } });
      await settle();
      expect(hubspot.webhooks.deliveries().some((d) => d.state === 'delivered')).toBe(true);
      expect((await member('ada@example.com'))?.merge_fields.LNAME).toBe('King');
    });

    it('a Mailchimp edit and an unsubscribe arrive by webhook and reach HubSpot', async () => {
      await mc.edit('members', (await member('grace@example.com'))!.id, { merge_fields: { FNAME: 'Amazing Grace' } });
      await mc.edit('members', (await member('ada@example.com'))!.id, { status: 'unsubscribed' });
      await settle();
      expect(mailchimp.webhooks.deliveries().filter((d) => d.state === 'delivered').length).toBeGreaterThanOrEqual(2);
      expect((await contact('grace@example.com'))?.properties.firstname).toBe('Amazing Grace');
      expect((await contact('ada@example.com'))?.properties.hs_email_optout).toBe('true');
    });

    it('a lost webhook is caught by the poll', async () => {
      await hs.call('PUT', 'webhooks', { chaos: { dropRate: 1 } });
      await hs.edit('contacts', (await contact('grace@example.com'))!.id, { properties: { company: 'Navy' } });
      await settle();
      expect(hubspot.webhooks.deliveries().at(-1)?.state).toBe('dropped');
      expect((await member('grace@example.com'))?.merge_fields.COMPANY).toBe('');
      await daemon.pollNow();
      await settle();
      expect((await member('grace@example.com'))?.merge_fields.COMPANY).toBe('Navy');
      await hs.call('PUT', 'webhooks', { chaos: { dropRate: 0 } });
    });

    it('a 429 storm and a 5xx burst delay webhook-driven work but lose nothing', async () => {
      await mc.addFault({ route: '*', kind: 'rate-limit', count: 5, retryAfterSeconds: 1 });
      await hs.addFault({ route: '*', kind: 'error', status: 503, count: 3 });
      await hs.edit('contacts', (await contact('ada@example.com'))!.id, { properties: { company: 'Analytical Engines' } });
      await mc.edit('members', (await member('grace@example.com'))!.id, { merge_fields: { LNAME: 'Murray Hopper' } });
      await settle();
      await eventually(async () => (await member('ada@example.com'))?.merge_fields.COMPANY === 'Analytical Engines'
        && (await contact('grace@example.com'))?.properties.lastname === 'Murray Hopper', 'both edits arrive');
      const left = async (admin: EmulatorAdmin) => ((await admin.call<{ result: Array<{ count?: number }> }>('GET', 'faults')).body.result ?? [])
        .reduce((n, r) => n + (r.count ?? 0), 0);
      expect(await left(hs)).toBe(0);
      expect(await left(mc)).toBe(0);
    });

    it('journals and audits every write it made, with no intent left open and an audit chain that verifies', async () => {
      await settle();
      const store = await openStore(databaseUrl);
      try {
        const journal = await store.db.selectFrom('journal').select(['id', 'state']).execute();
        expect(journal.filter((j) => j.state === 'applied').length).toBeGreaterThan(0);
        expect(journal.filter((j) => j.state === 'intent' || j.state === 'unknown')).toEqual([]);
        const audited = new Set((await store.db.selectFrom('audit').select('journal_id').execute()).map((a) => a.journal_id));
        expect(journal.filter((j) => j.state === 'applied' && !audited.has(j.id))).toEqual([]);
        expect((await verifyAuditChain(store.db)).ok).toBe(true);
      } finally {
        await store.close();
      }
    });

    it('a contact deleted in HubSpot is archived in the audience, as the delete policy says', async () => {
      await hs.remove('contacts', (await contact('grace@example.com'))!.id);
      await settle();
      expect((await member('grace@example.com'))?.status).toBe('archived');
    });
  });
}
