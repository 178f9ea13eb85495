/**
 * A system's `request_timeout` (milliseconds or a duration) bounds each of its API requests, overriding the
 * connector's own limit (Mailchimp declares 120 s): a provider that never answers fails the request as a timeout
 * after the configured time.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { parseDaemonConfig } from '../../../src/config/daemon-config.js';
import { requestTimeoutMsOf } from '../../../src/config/daemon-config-schema.js';
import { formatProblem } from '../../../src/config/problems.js';
import { createConnector } from '../../../src/connectors/registry.js';
import { asSystemId } from '../../../src/shared/ids.js';
import { startLoopbackServer } from '../connectors/loopback-server.js';

const config = (timeout: string) => [
  'systems:',
  '  mailchimp:',
  '    base_url: http://127.0.0.1:9/3.0',
  '    emulator: true',
  `    request_timeout: ${timeout}`,
  '',
].join('\n');

describe('request_timeout', () => {
  const servers: Array<{ close(): Promise<void> }> = [];
  afterEach(async () => { await Promise.all(servers.splice(0).map((s) => s.close())); });

  it('reads milliseconds or a duration', () => {
    for (const [text, ms] of [['2500', 2500], ['10s', 10_000], ['500ms', 500], ['2m', 120_000]] as const) {
      const result = parseDaemonConfig('c.yaml', config(text), {});
      if (!result.ok) throw new Error(result.problems.map(formatProblem).join('\n'));
      expect(requestTimeoutMsOf(result.config.systems.mailchimp!)).toBe(ms);
    }
  });

  it('refuses a zero or unitless text, naming what is allowed', () => {
    for (const text of ['0', '0s', 'ten', '"10"']) {
      const result = parseDaemonConfig('c.yaml', config(text), {});
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.problems.map(formatProblem).join('\n')).toMatch(/^c\.yaml:5:22  CONCORD_ERR_CONFIG_INVALID_VALUE  systems\.mailchimp\.request_timeout: /);
    }
  });

  it('overrides the connector\'s own limit: a silent provider fails the request after the configured time', async () => {
    const server = await startLoopbackServer(() => ({ hang: true }));
    servers.push(server);
    const connector = createConnector('mailchimp', {
      system: asSystemId('mailchimp'), baseUrl: `${server.url}/3.0`, credentials: { api_key: 'key-us1' }, emulator: true, requestTimeoutMs: 200,
    });
    const http = connector.createHttpClient!({});
    await expect(http.request({ method: 'GET', url: '/ping' })).rejects.toMatchObject({ code: 'CONCORD_ERR_CONNECTOR_TIMEOUT', message: expect.stringContaining('within 200 ms') });
  });
});
