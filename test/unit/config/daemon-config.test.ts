import { describe, expect, it } from 'vitest';
import { loadDaemonConfig, parseDaemonConfig } from '../../../src/config/daemon-config.js';
import { formatProblem } from '../../../src/config/problems.js';

const cwd = process.cwd();

describe('loadDaemonConfig', () => {
  it('loads the shipped config with no environment at all, for the demo', async () => {
    const result = await loadDaemonConfig('config/concord.yaml', {}, { cwd });
    if (!result.ok) throw new Error(result.problems.map(formatProblem).join('\n'));
    const { config } = result;
    expect(config.database.url).toBe('./data/concord.db');
    expect(config.http).toEqual({ host: '127.0.0.1', port: 8787 });
    expect(config.mappings).toBe('./mappings');
    expect(config.logging.level).toBe('info');
    expect(config.systems.hubspot).toMatchObject({ base_url: 'http://127.0.0.1:8801', emulator: true, enabled: true });
    expect(config.systems.mailchimp?.credentials).toEqual({ api_key: 'demo-mailchimp-key-us1' });
    expect(config.systems.shopify?.enabled).toBe(false);
  });

  it('reads values from the environment, typing plain scalars (port number, emulator boolean)', async () => {
    const result = await loadDaemonConfig('config/concord.yaml', {
      HUBSPOT_BASE_URL: 'https://api.hubapi.com', HUBSPOT_EMULATOR: 'false', CONCORD_HTTP_PORT: '9000',
      HUBSPOT_ACCESS_TOKEN: 'pat-na1-real', CONCORD_DATABASE_URL: 'postgres://concord@db:5432/concord',
    }, { cwd });
    if (!result.ok) throw new Error(result.problems.map(formatProblem).join('\n'));
    expect(result.config.http.port).toBe(9000);
    expect(result.config.database.url).toBe('postgres://concord@db:5432/concord');
    expect(result.config.systems.hubspot).toMatchObject({
      base_url: 'https://api.hubapi.com', emulator: false, credentials: { access_token: 'pat-na1-real' },
    });
  });

  it('returns a deeply frozen config', async () => {
    const result = await loadDaemonConfig('config/concord.yaml', {}, { cwd });
    if (!result.ok) throw new Error('expected the shipped config to load');
    expect(Object.isFrozen(result.config)).toBe(true);
    expect(Object.isFrozen(result.config.systems.hubspot?.credentials)).toBe(true);
    expect(() => { (result.config.http as { port: number }).port = 1; }).toThrow(TypeError);
  });

  it('reads <key>_file over <key> and its unset variable; $${ is a literal ${', async () => {
    const result = await loadDaemonConfig('test/fixtures/config/secret-file-wins.yaml', { MC_KEY: 'abc' }, { cwd });
    if (!result.ok) throw new Error(result.problems.map(formatProblem).join('\n'));
    expect(result.config.http.admin_token).toBe('token-from-file-0123456789');
    expect(result.config.http).not.toHaveProperty('admin_token_file');
    expect(result.config.systems.mailchimp?.credentials.api_key).toBe('${literal}-abc');
    expect(result.config.systems.mailchimp?.emulator).toBe(true);
  });

  it('reports each unset variable of one value at its own column', () => {
    const text = 'database:\n  url: "postgres://${PGUSER}:${PGPASSWORD}@db/concord"\nsystems: {}\n';
    const result = parseDaemonConfig('c.yaml', text, { PGUSER: 'concord' });
    expect(result.ok ? [] : result.problems.map(formatProblem)).toEqual([
      'c.yaml:2:30  CONCORD_ERR_CONFIG_ENV_UNSET  environment variable PGPASSWORD is not set (used as ${PGPASSWORD}): set it, or give a default with ${PGPASSWORD:-default}, or read it from a file with <key>_file',
    ]);
  });

  it('refuses __proto__ keys, and nothing parsed reaches Object.prototype', () => {
    const text = 'systems: {}\nlogging:\n  __proto__: { polluted: true }\n  level: info\n';
    const result = parseDaemonConfig('c.yaml', text, {});
    expect(result.ok ? [] : result.problems.map(formatProblem)).toEqual([
      'c.yaml:3:3  CONCORD_ERR_CONFIG_FORBIDDEN_KEY  the key "__proto__" is not allowed: __proto__, constructor and prototype are refused so that no value can reach an object prototype',
    ]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('checks connector kinds of enabled systems against the kinds this build has', async () => {
    const result = await loadDaemonConfig('test/fixtures/config/unknown-connector.yaml', {}, { cwd, connectorKinds: ['hubspot', 'mailchimp'] });
    expect(result.ok ? [] : result.problems.map(formatProblem)).toEqual([
      'test/fixtures/config/unknown-connector.yaml:4:16  CONCORD_ERR_CONFIG_UNKNOWN_CONNECTOR  systems.crm: no connector "hubspto" in this build (did you mean "hubspot"?); available: hubspot, mailchimp (set connector: <kind>, or enabled: false)',
      'test/fixtures/config/unknown-connector.yaml:6:3  CONCORD_ERR_CONFIG_UNKNOWN_CONNECTOR  systems.zoho: no connector "zoho" in this build; available: hubspot, mailchimp (set connector: <kind>, or enabled: false)',
    ]);
    expect((await loadDaemonConfig('test/fixtures/config/unknown-connector.yaml', {}, { cwd })).ok).toBe(true);
  });

  it('names a file that cannot be read', async () => {
    const result = await loadDaemonConfig('no/such/concord.yaml', {}, { cwd });
    expect(result.ok ? [] : result.problems.map(formatProblem)).toEqual([
      'no/such/concord.yaml:1:1  CONCORD_ERR_CONFIG_UNREADABLE  cannot read the daemon config (no such file): give its path with -c/--config or CONCORD_CONFIG',
    ]);
  });
});
