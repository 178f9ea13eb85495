/**
 * HubSpot through OAuth2 in the daemon: the refresh token from the config seeds the store's encrypted
 * token store, the first call refreshes, and the refreshed tokens are stored encrypted (never in clear).
 * A refresh the provider refuses marks the system unhealthy in /readyz with the reason, and the daemon
 * keeps running.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { demoCredentials, startDemoEmulators, type DemoEmulators } from '../../../src/demo/demo-emulators.js';
import { writeDemoWorkspace } from '../../../src/demo/demo-workspace.js';
import { startDaemon, type RunningDaemon } from '../../../src/runtime/daemon/daemon.js';
import { silentLogger } from '../../../src/shared/logger.js';
import { createDatabase } from '../../../src/store/database.js';
import { eventually } from './daemon-process.js';

describe('OAuth2 tokens in the daemon', () => {
  const dirs: string[] = [];
  let emulators: DemoEmulators | undefined;
  let daemon: RunningDaemon | undefined;
  const env = { ...process.env, CONCORD_SECRET_KEY: randomBytes(32).toString('base64') };

  afterEach(async () => {
    await daemon?.stop('test done');
    await emulators?.close();
    daemon = undefined;
    emulators = undefined;
  });
  afterAll(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });

  async function start(refreshToken: (real: string) => string) {
    const dir = mkdtempSync(join(tmpdir(), 'concord-daemon-oauth-'));
    dirs.push(dir);
    emulators = await startDemoEmulators({ seed: 'daemon-oauth' });
    await emulators.admin('hubspot', 'POST', 'records/contacts', { records: [{ properties: { email: 'ada@example.com', firstname: 'Ada', lifecyclestage: 'lead' } }] });
    const ws = await writeDemoWorkspace({ dir, hubspotBaseUrl: emulators.hubspotBaseUrl, mailchimpBaseUrl: emulators.mailchimpBaseUrl });
    const c = emulators.hubspot.credentials;
    const config = readFileSync(ws.configPath, 'utf8').replace(
      `credentials: { access_token: ${JSON.stringify(demoCredentials.hubspotToken)} }`,
      `credentials: { client_id: ${JSON.stringify(c.clientId)}, client_secret: ${JSON.stringify(c.clientSecret)}, refresh_token: ${JSON.stringify(refreshToken(c.refreshToken))} }`,
    );
    expect(config).toContain('refresh_token');
    writeFileSync(ws.configPath, config);
    daemon = await startDaemon({ configPath: ws.configPath, env, port: 0, log: silentLogger, exit: () => {}, retry: { attempts: 2, baseMs: 20 } });
    return { ws, refreshToken: c.refreshToken };
  }

  it('refreshes with the configured refresh token and keeps the tokens encrypted in the store', async () => {
    const { ws, refreshToken } = await start((real) => real);
    const members = async () => ((await emulators!.admin('mailchimp', 'GET', 'records/members')).body as { result: Array<{ email_address: string }> }).result;
    await eventually('Ada in Mailchimp', async () => (await members()).some((m) => m.email_address === 'ada@example.com'));
    const db = createDatabase(ws.databaseUrl);
    try {
      const rows = await db.db.selectFrom('tokens').selectAll().execute();
      expect(rows.map((r) => r.system)).toEqual(['hubspot']);
      expect(rows[0]!.expires_at).not.toBeNull();
      expect(Date.parse(rows[0]!.expires_at!)).toBeGreaterThan(Date.now());
      expect(JSON.stringify(rows)).not.toContain(refreshToken);
    } finally {
      await db.close();
    }
  });

  it('marks the system unhealthy with the reason when the refresh is refused, and stays up', async () => {
    await start(() => 'na1-not-a-valid-refresh-token');
    const ready = await eventually('/readyz to report the refused refresh', async () => {
      const res = await fetch(`${daemon!.url}/readyz`);
      const body = await res.json() as { checks: Record<string, { ok: boolean; detail?: string }> };
      return res.status === 503 && body.checks['credentials:hubspot']?.ok === false ? body : undefined;
    });
    expect(ready.checks['credentials:hubspot']!.detail).toContain('CONCORD_ERR_CONNECTOR_AUTH_REFRESH_FAILED');
    expect(ready.checks['credentials:mailchimp']!.ok).toBe(true);
    expect((await fetch(`${daemon!.url}/healthz`)).status).toBe(200);
  });
});
