/**
 * `concord sync --pair crm-marketing-contacts --once` as a user runs it (a child process of the CLI) with the
 * shipped config/concord.yaml, whose credentials are spelt as documented (access_token, api_key), against the
 * HubSpot and Mailchimp emulators over loopback HTTP; and with HubSpot on OAuth2 (client_id, client_secret,
 * refresh_token), where the CLI goes through the encrypted token store as the daemon does.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { demoCredentials, startDemoEmulators, type DemoEmulators } from '../../src/demo/demo-emulators.js';
import { createDatabase } from '../../src/store/database.js';
import { runCli } from '../integration/runtime/daemon-process.js';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const shippedConfig = join(repoRoot, 'config/concord.yaml');

describe('concord sync --once with the shipped config', () => {
  const dirs: string[] = [];
  let emulators: DemoEmulators;
  let dir: string;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'concord-cli-sync-'));
    dirs.push(dir);
    emulators = await startDemoEmulators({ seed: 'cli-sync' });
    const created = await emulators.admin('hubspot', 'POST', 'records/contacts', { records: [
      { properties: { email: 'ada@example.com', firstname: 'Ada', lastname: 'Lovelace', lifecyclestage: 'lead' } },
      { properties: { email: 'grace@example.com', firstname: 'Grace', lastname: 'Hopper', lifecyclestage: 'customer' } },
    ] });
    expect(created.status).toBeLessThan(300);
  });
  afterEach(async () => { await emulators.close(); });
  afterAll(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });

  /** The environment the shipped config reads: the emulators' URLs, their credentials, a state file of this test. */
  const envFor = () => ({
    HUBSPOT_BASE_URL: emulators.hubspotBaseUrl, HUBSPOT_ACCESS_TOKEN: demoCredentials.hubspotToken,
    MAILCHIMP_BASE_URL: emulators.mailchimpBaseUrl, MAILCHIMP_API_KEY: demoCredentials.mailchimpApiKey,
    MAILCHIMP_LIST_ID: demoCredentials.mailchimpListId, CONCORD_DATABASE_URL: join(dir, 'state.db'), CONCORD_LOG_LEVEL: 'warn',
  });
  const sync = async (config: string, env: Record<string, string>) => {
    const run = runCli(['sync', '-c', config, '--pair', 'crm-marketing-contacts', '--once'], env);
    const exit = await run.exited;
    return { code: exit.code, output: run.output() };
  };
  const members = async () => ((await emulators.admin('mailchimp', 'GET', 'records/members')).body as {
    result: Array<{ email_address: string; merge_fields: Record<string, unknown> }>;
  }).result;

  it('creates the HubSpot contacts in Mailchimp, and a second run has nothing to write', async () => {
    const first = await sync(shippedConfig, envFor());
    expect(first.output).toContain('crm-marketing-contacts: quiescent');
    expect(first.code, first.output).toBe(0);
    const byEmail = new Map((await members()).map((m) => [m.email_address, m.merge_fields]));
    expect(byEmail.get('ada@example.com')).toMatchObject({ FNAME: 'Ada', LNAME: 'Lovelace', LIFECYCLE: 'lead' });
    expect(byEmail.get('grace@example.com')).toMatchObject({ FNAME: 'Grace', LNAME: 'Hopper', LIFECYCLE: 'customer' });

    const second = await sync(shippedConfig, envFor());
    expect(second.code, second.output).toBe(0);
    expect(second.output).toContain('writes left 0, right 0');
  });

  it('reaches HubSpot through OAuth2 with the configured refresh token, keeping the tokens encrypted in the store', async () => {
    const c = emulators.hubspot.credentials;
    const config = join(dir, 'concord.yaml');
    const text = readFileSync(shippedConfig, 'utf8')
      .replace('mappings: ./mappings', `mappings: ${JSON.stringify(join(repoRoot, 'mappings'))}`)
      .replace('access_token: ${HUBSPOT_ACCESS_TOKEN:-demo-hubspot-token}',
        `client_id: ${JSON.stringify(c.clientId)}\n      client_secret: ${JSON.stringify(c.clientSecret)}\n      refresh_token: ${JSON.stringify(c.refreshToken)}`);
    expect(text).toContain('refresh_token:');
    writeFileSync(config, text);
    const env = { ...envFor(), HUBSPOT_ACCESS_TOKEN: 'not-used', CONCORD_SECRET_KEY: randomBytes(32).toString('base64') };

    const run = await sync(config, env);
    expect(run.code, run.output).toBe(0);
    expect((await members()).map((m) => m.email_address).sort()).toEqual(['ada@example.com', 'grace@example.com']);
    const db = createDatabase(env.CONCORD_DATABASE_URL);
    try {
      const rows = await db.db.selectFrom('tokens').selectAll().execute();
      expect(rows.map((r) => r.system)).toEqual(['hubspot']);
      expect(JSON.stringify(rows)).not.toContain(c.refreshToken);
    } finally {
      await db.close();
    }
  });
});
