import { ConcordError } from '../../shared/errors/index.js';
import { asRemoteId, type RemoteId } from '../../shared/ids.js';
import { classifyResponse } from '../http/classify-response.js';
import { assertOk, parseBodyAs, providerMessage } from '../http/response-checks.js';
import { connectorLimits, createConnectorHttpClient } from '../connector-http.js';
import { chunk } from '../chunk.js';
import { objectPath, objectSpecs } from '../object-paths.js';
import type { Connector, ConnectorContext, ConnectorSettings, RemoteRecord } from '../contract.js';
import { batchResponseSchema, hubspotFacts, propertiesOf, searchResponseSchema, toRemoteRecord } from './hubspot-objects.js';
import { findHubspot, listChangedHubspot } from './hubspot-search.js';
import { hubspotWebhook } from './hubspot-webhook.js';
import { writeHubspot } from './hubspot-write.js';

/**
 * Batch read with per-property history: `fieldTimes` come from `propertiesWithHistory`, which HubSpot
 * allows for at most 50 inputs per call (readWithHistory). Ids missing from the answer are archived or
 * gone, and come back as deleted.
 */
async function getHubspot(object: string, ids: RemoteId[], ctx: ConnectorContext): Promise<Map<RemoteId, RemoteRecord>> {
  const out = new Map<RemoteId, RemoteRecord>();
  const properties = propertiesOf(object);
  const where = `system hubspot: POST ${object}/batch/read`;
  for (const part of chunk([...new Set(ids)], hubspotFacts.batch.readWithHistory ?? hubspotFacts.batch.read)) {
    const res = await ctx.http.request({
      method: 'POST', url: `${objectPath(hubspotFacts, object, ctx.params)}/batch/read`, query: { archived: false },
      json: { inputs: part.map((id) => ({ id })), properties, propertiesWithHistory: properties },
      priority: 1, signal: ctx.signal,
    });
    // 207 carries results plus "not found" errors for the missing ids.
    const body = parseBodyAs(batchResponseSchema, assertOk(res, where), where);
    for (const r of body.results) out.set(asRemoteId(r.id), toRemoteRecord(r, object));
    const now = ctx.clock.now().toISOString();
    for (const id of part) if (!out.has(id)) out.set(id, { id, version: '', modifiedAt: now, fields: {}, deleted: true });
  }
  return out;
}

/** Every live id, through the list endpoint (not search: it has no 10,000-result window). */
async function* listIdsHubspot(object: string, ctx: ConnectorContext): AsyncIterable<RemoteId[]> {
  const where = `system hubspot: GET ${object}`;
  let after: string | undefined;
  do {
    const res = await ctx.http.request({
      method: 'GET', url: objectPath(hubspotFacts, object, ctx.params), priority: 2, signal: ctx.signal,
      query: { limit: hubspotFacts.batch.read, properties: 'hs_object_id', archived: false, after },
    });
    const page = parseBodyAs(searchResponseSchema, assertOk(res, where), where);
    yield page.results.map((r) => asRemoteId(r.id));
    after = page.results.length > 0 ? page.paging?.next?.after : undefined;
  } while (after !== undefined);
}

export function createHubspotConnector(settings: ConnectorSettings): Connector {
  const baseUrl = settings.baseUrl || hubspotFacts.baseUrl;
  const objects = objectSpecs(hubspotFacts);
  return {
    system: settings.system,
    capabilities: {
      cursorKind: 'timestamp',
      // Search does not return archived records: deletes come from webhooks and reconcile.
      changesIncludeDeletes: false,
      webhooks: true,
      maxWriteBatch: hubspotFacts.batch.write,
      maxReadBatch: hubspotFacts.batch.readWithHistory ?? hubspotFacts.batch.read,
      // No ETag or If-Match on CRM objects.
      optimisticConcurrency: false,
      // No idempotency key; creates are recovered by find on the match key.
      idempotentCreate: false,
      delete: 'archive',
    },
    objects,
    limits: connectorLimits(hubspotFacts),
    webhook: hubspotWebhook,
    createHttpClient: (deps) => createConnectorHttpClient(hubspotFacts, settings, baseUrl, deps),

    async verifyConnection(ctx) {
      const res = await ctx.http.request({ method: 'GET', url: objectPath(hubspotFacts, 'contacts', ctx.params), query: { limit: 1 }, priority: 0, signal: ctx.signal });
      const cls = classifyResponse(res.status, res.headers);
      if (cls === 'ok') return { ok: true, message: 'HubSpot answered an authenticated contacts read' };
      const hint = cls === 'auth' ? ' (check the token and its crm.objects.contacts.read / companies scopes, and communication_preferences.write for opt-outs)' : '';
      return { ok: false, message: `HubSpot answered HTTP ${res.status}: ${providerMessage(res)}${hint}` };
    },

    listChanged: (object, cursor, ctx) => listChangedHubspot(object, cursor, ctx),
    get: getHubspot,
    find: findHubspot,
    listIds: listIdsHubspot,

    async write(object, ops, ctx) {
      if (ops.length > hubspotFacts.batch.write) {
        throw new ConcordError('CONCORD_ERR_CONNECTOR_BATCH_TOO_LARGE',
          `system hubspot, object ${object}: expected at most ${hubspotFacts.batch.write} ops per write, found ${ops.length}`);
      }
      objectPath(hubspotFacts, object, ctx.params);
      return writeHubspot(object, ops, ctx);
    },
  };
}
