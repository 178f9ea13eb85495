/**
 * The webhook server with a real connector's handler (HubSpot v3 signatures over method, full URL,
 * raw body and timestamp), fed by the HubSpot emulator, storing into a real SQLite store. The
 * emulator signs as HubSpot documents it and shares no code with the connector.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createHubspotConnector } from '../../../../src/connectors/hubspot/hubspot-connector.js';
import { startHubSpotEmulator, type RunningHubSpotEmulator } from '../../../../src/emulators/hubspot/hubspot-emulator.js';
import { createPublicServer } from '../../../../src/runtime/http/public-server.js';
import { createRuntimeMetrics } from '../../../../src/runtime/metrics.js';
import { createStoreInboxSink } from '../../../../src/runtime/store-adapters/store-inbox-sink.js';
import { systemClock } from '../../../../src/shared/clock.js';
import { asSystemId } from '../../../../src/shared/ids.js';
import { silentLogger } from '../../../../src/shared/logger.js';
import type { StoreDatabase } from '../../../../src/store/database.js';
import { createInboxWriter, type InboxWriter } from '../../../../src/store/inbox-writer.js';
import { createSqliteTestStore } from '../../../support/db.js';

describe('webhooks from the HubSpot emulator', () => {
  let store: StoreDatabase;
  let dispose: () => Promise<void>;
  let writer: InboxWriter;
  let app: FastifyInstance;
  let emulator: RunningHubSpotEmulator;
  let secret = '';

  beforeAll(async () => {
    ({ store, dispose } = await createSqliteTestStore());
    writer = createInboxWriter(store.db);
    const connector = createHubspotConnector({ system: asSystemId('hubspot'), baseUrl: 'http://127.0.0.1:1', credentials: {}, emulator: true });
    app = createPublicServer({
      endpoint: (s) => (s === 'hubspot' ? { system: asSystemId('hubspot'), handler: connector.webhook!, secrets: { secret } } : undefined),
      inbox: createStoreInboxSink(writer), clock: systemClock, log: silentLogger,
      metrics: createRuntimeMetrics({ processMetrics: false }), probes: () => [],
    });
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    emulator = await startHubSpotEmulator({ seed: 'runtime-webhooks', webhookUrl: `${address}/webhooks/hubspot` });
    secret = emulator.credentials.clientSecret;
  });

  afterAll(async () => {
    await emulator?.close();
    await app?.close();
    await writer?.close();
    await dispose?.();
  });

  const admin = (method: string, path: string, body?: unknown) =>
    fetch(`${emulator.url}/__emulator/${path}`, { method, headers: { 'content-type': 'application/json' }, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) })
      .then(async (r) => ({ status: r.status, body: await r.json() as Record<string, unknown> }));
  const inboxRows = () => store.db.selectFrom('inbox').select(['system', 'object', 'remote_id', 'event_id']).where('system', '=', 'hubspot').execute();

  it('verifies and stores the events of signed deliveries, each once even when delivered twice', async () => {
    await admin('PUT', 'webhooks', { chaos: { duplicateRate: 1 } });
    const seeded = await admin('POST', 'records/contacts', { records: [{ email: 'ada@example.com', firstname: 'Ada' }], notify: false });
    const id = (seeded.body.result as string[])[0]!;
    expect((await admin('PATCH', `records/contacts/${id}`, { firstname: 'Ada L.' })).status).toBe(200);
    await emulator.webhooks.idle();

    const deliveries = emulator.webhooks.deliveries();
    expect(deliveries.length).toBeGreaterThanOrEqual(2);
    expect(deliveries.every((d) => d.state === 'delivered')).toBe(true);
    const rows = await inboxRows();
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.remote_id === String(id))).toBe(true);
    expect(new Set(rows.map((r) => r.event_id)).size).toBe(rows.length);
  });

  it('refuses deliveries signed with another secret and stores nothing from them', async () => {
    const before = (await inboxRows()).length;
    const realSecret = secret;
    secret = 'not-the-client-secret';
    try {
      await admin('PUT', 'webhooks', { chaos: { duplicateRate: 0 } });
      const seeded = await admin('POST', 'records/contacts', { records: [{ email: 'bob@example.com' }], notify: false });
      await admin('PATCH', `records/contacts/${(seeded.body.result as string[])[0]}`, { firstname: 'Bob' });
      await emulator.webhooks.idle();
      const last = emulator.webhooks.deliveries().at(-1)!;
      expect(last.attempts[0]?.status).toBe(401);
      expect((await inboxRows()).length).toBe(before);
    } finally {
      secret = realSecret;
    }
  });
});
