import { ConcordError } from '../../shared/errors/index.js';
import { asCursor, type Cursor } from '../../shared/ids.js';
import { assertOk, parseBodyAs } from '../http/response-checks.js';
import { chunk } from '../chunk.js';
import { objectFacts, objectPath } from '../object-paths.js';
import type { ChangePage, ConnectorContext, RemoteRecord } from '../contract.js';
import { hubspotFacts, modifiedMs, propertiesOf, searchResponseSchema, toRemoteRecord, type HubspotRecord } from './hubspot-objects.js';

interface SearchBody {
  filterGroups: Array<{ filters: Array<Record<string, unknown>> }>;
  sorts?: Array<{ propertyName: string; direction: 'ASCENDING' | 'DESCENDING' }>;
  properties: string[];
  limit: number;
  after?: string;
}

async function search(object: string, body: SearchBody, ctx: ConnectorContext, priority: 0 | 1 | 2) {
  const where = `system hubspot: POST ${object}/search`;
  const res = await ctx.http.request({ method: 'POST', url: `${objectPath(hubspotFacts, object, ctx.params)}/search`, json: body, priority, limitGroup: 'search', signal: ctx.signal });
  return parseBodyAs(searchResponseSchema, assertOk(res, where), where);
}

/**
 * Records modified at or after `cursor` (an ISO time), oldest first, through the CRM search endpoint.
 * Pages by time: each next page is a fresh query from the last modification time seen, skipping the ids
 * already seen at that instant. Paging by `after` (an offset) would skip a record whenever one already
 * read is modified mid-poll and moves to the end; and one query pages through at most 10,000 results.
 * `after` is used only to page within one instant that holds more records than a page. The cursor is
 * the last modification time seen; the engine's overlap window re-reads a little before it.
 */
export async function* listChangedHubspot(object: string, cursor: Cursor | null, ctx: ConnectorContext): AsyncIterable<ChangePage> {
  const mod = objectFacts(hubspotFacts, object).modifiedField;
  const pageSize = hubspotFacts.pagination.maxPageSize;
  const window = hubspotFacts.pagination.maxResultWindow ?? Number.POSITIVE_INFINITY;
  const properties = propertiesOf(object);
  let since: number | null = cursor === null ? null : Date.parse(cursor);
  let lastMs = since ?? Number.NEGATIVE_INFINITY;
  let idsAtLast = new Set<string>();
  let after: string | undefined;
  let inQuery = 0;
  for (;;) {
    const body: SearchBody = {
      filterGroups: since === null ? [] : [{ filters: [{ propertyName: mod, operator: 'GTE', value: String(since) }] }],
      sorts: [{ propertyName: mod, direction: 'ASCENDING' }],
      properties, limit: pageSize, ...(after !== undefined ? { after } : {}),
    };
    const page = await search(object, body, ctx, cursor === null ? 2 : 1);
    const records: RemoteRecord[] = [];
    for (const r of page.results) {
      const ms = modifiedMs(r, object);
      if (ms < lastMs || (ms === lastMs && idsAtLast.has(r.id))) continue;
      if (ms > lastMs) { lastMs = ms; idsAtLast = new Set(); }
      idsAtLast.add(r.id);
      records.push(toRemoteRecord(r, object));
    }
    inQuery += page.results.length;
    const next = page.paging?.next?.after;
    const done = next === undefined || page.results.length === 0;
    const nextCursor = asCursor(Number.isFinite(lastMs) ? new Date(lastMs).toISOString() : cursor ?? new Date(0).toISOString());
    yield { records, nextCursor, done };
    if (done) return;
    if (since === null || lastMs > since) {
      since = lastMs;
      after = undefined;
      inQuery = 0;
      continue;
    }
    // Everything this query returned sits at the `since` instant: page on within it.
    if (inQuery + pageSize > window) {
      throw new ConcordError('CONCORD_ERR_CONNECTOR_CHANGE_WINDOW_STUCK',
        `system hubspot, object ${object}: expected at most ${window} records modified at one instant, ` +
        `found more at ${new Date(lastMs).toISOString()}`, { object, at: new Date(lastMs).toISOString() });
    }
    after = next;
  }
}

/** Records whose `field` equals one of `values`, by IN filters (at most `findValues` values per query). */
export async function findHubspot(object: string, field: string, values: string[], ctx: ConnectorContext): Promise<RemoteRecord[]> {
  const o = objectFacts(hubspotFacts, object);
  if (!o.searchable.includes(field)) {
    throw new ConcordError('CONCORD_ERR_CONNECTOR_FIND_UNSUPPORTED',
      `system hubspot, object ${object}: expected a searchable field (${o.searchable.join(', ')}), found "${field}"`);
  }
  const found: RemoteRecord[] = [];
  const properties = propertiesOf(object);
  for (const part of chunk([...new Set(values)], hubspotFacts.batch.findValues ?? 100)) {
    let after: string | undefined;
    do {
      const page = await search(object, {
        filterGroups: [{ filters: [{ propertyName: field, operator: 'IN', values: part }] }],
        properties, limit: hubspotFacts.pagination.maxPageSize, ...(after !== undefined ? { after } : {}),
      }, ctx, 0);
      found.push(...page.results.map((r: HubspotRecord) => toRemoteRecord(r, object)));
      after = page.results.length > 0 ? page.paging?.next?.after : undefined;
    } while (after !== undefined);
  }
  return found;
}
