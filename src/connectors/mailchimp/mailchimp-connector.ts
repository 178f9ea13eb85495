import PQueue from 'p-queue';
import { z } from 'zod';
import { ConcordError } from '../../shared/errors/index.js';
import { asCursor, asRemoteId, type Cursor, type RemoteId } from '../../shared/ids.js';
import { classifyResponse } from '../http/classify-response.js';
import { assertOk, parseBodyAs, providerMessage } from '../http/response-checks.js';
import { connectorLimits, createConnectorHttpClient } from '../connector-http.js';
import { objectFacts, objectPath, objectSpecs } from '../object-paths.js';
import type { ChangePage, Connector, ConnectorContext, ConnectorSettings, RemoteRecord } from '../contract.js';
import { mailchimpBaseUrl, mailchimpFacts, memberListSchema, memberSchema, subscriberHash, toMailchimpTime, toRemoteRecord } from './mailchimp-objects.js';
import { mailchimpWebhook } from './mailchimp-webhook.js';
import { writeMailchimp } from './mailchimp-write.js';

/** Reads a few members at a time by id: the account allows 10 connections in all. */
const READ_FAN_OUT = 4;

/**
 * Members changed since `cursor` with `since_last_changed`, `count` (max 1000) and `offset` paging,
 * asked oldest first (`sort_field=last_changed`, [U]). Archived members may be left out of a listing that
 * names no status (PROVIDERS.md §5.4 marks it uncertain; https://github.com/brandonseydel/MailChimp.Net/issues/529
 * reports that listing all members leaves archived ones out), so they are asked for first with `status=archived`,
 * and a member seen in both listings is given once. The archived pages never move the cursor; the main listing's
 * pages move it per page only while pages come back in ascending order; otherwise it moves once, after the last
 * page, so a crash mid-way loses nothing.
 */
async function* listChangedMailchimp(object: string, cursor: Cursor | null, ctx: ConnectorContext): AsyncIterable<ChangePage> {
  const path = objectPath(mailchimpFacts, object, ctx.params);
  const count = mailchimpFacts.pagination.maxPageSize;
  const start = cursor === null ? 0 : Date.parse(cursor);
  let max = start;
  let ordered = true;
  let previous = Number.NEGATIVE_INFINITY;
  const archivedIds = new Set<string>();
  for (const status of ['archived', undefined] as const) {
    for (let offset = 0; ;) {
      const where = `system mailchimp: GET ${path}`;
      const res = await ctx.http.request({
        method: 'GET', url: path, priority: cursor === null ? 2 : 1, signal: ctx.signal,
        query: { count, offset, sort_field: 'last_changed', sort_dir: 'ASC', status, since_last_changed: cursor === null ? undefined : toMailchimpTime(cursor) },
      });
      const page = parseBodyAs(memberListSchema, assertOk(res, where), where);
      let records = page.members.map(toRemoteRecord);
      if (status === 'archived') for (const r of records) archivedIds.add(r.id);
      else records = records.filter((r) => !archivedIds.has(r.id));
      for (const r of records) {
        const t = Date.parse(r.modifiedAt);
        max = Math.max(max, t);
        if (status === 'archived') continue;
        if (t < previous) ordered = false;
        previous = t;
      }
      offset += page.members.length;
      const last = page.members.length < count || (page.total_items !== undefined && offset >= page.total_items);
      const done = last && status === undefined;
      const moved = status === 'archived' ? start : ordered || done ? max : start;
      // An empty archived page says nothing and moves nothing.
      if (records.length > 0 || status === undefined) yield { records, nextCursor: asCursor(new Date(moved).toISOString()), done };
      if (last) break;
    }
  }
}

/**
 * Fewest ids for which the member list is tried first: below it, its first page (up to 1000 members) would cost
 * more than it could save.
 */
const LIST_READ_MIN = 20;

/**
 * Members by id from pages of the audience's member list (`GET /lists/{list_id}/members`, `count` up to 1000,
 * `offset`): the API has no read of many members by id, and one GET per member costs one call each. The first page
 * tells the audience's size (`total_items`); the listing goes on only while the pages left are fewer than the ids
 * still missing. What it does not find (archived members, which a listing without `status` may leave out; members
 * added meanwhile) is read one by one after.
 */
async function readFromMemberList(path: string, wanted: ReadonlySet<RemoteId>, out: Map<RemoteId, RemoteRecord>, ctx: ConnectorContext): Promise<void> {
  const count = mailchimpFacts.pagination.maxPageSize;
  let missing = wanted.size;
  for (let offset = 0; ;) {
    const where = `system mailchimp: GET ${path}`;
    const res = await ctx.http.request({ method: 'GET', url: path, priority: 1, signal: ctx.signal, query: { count, offset } });
    const page = parseBodyAs(memberListSchema, assertOk(res, where), where);
    for (const m of page.members) {
      const id = asRemoteId(m.id);
      if (!wanted.has(id)) continue;
      if (!out.has(id)) missing -= 1;
      out.set(id, toRemoteRecord(m));
    }
    offset += page.members.length;
    const total = page.total_items ?? offset;
    const pagesLeft = Math.ceil(Math.max(0, total - offset) / count);
    if (page.members.length < count || missing === 0 || pagesLeft === 0 || pagesLeft >= missing) return;
  }
}

/** Members by id (see `readFromMemberList` for many); an id Mailchimp does not know comes back deleted. */
async function getMailchimp(object: string, ids: RemoteId[], ctx: ConnectorContext): Promise<Map<RemoteId, RemoteRecord>> {
  const path = objectPath(mailchimpFacts, object, ctx.params);
  const out = new Map<RemoteId, RemoteRecord>();
  const wanted = new Set(ids);
  if (wanted.size >= LIST_READ_MIN) await readFromMemberList(path, wanted, out, ctx);
  const queue = new PQueue({ concurrency: READ_FAN_OUT });
  await Promise.all([...wanted].filter((id) => !out.has(id)).map((id) => queue.add(async () => {
    const where = `system mailchimp: GET ${path}/${id}`;
    const res = await ctx.http.request({ method: 'GET', url: `${path}/${encodeURIComponent(id)}`, priority: 1, signal: ctx.signal });
    if (res.status === 404) {
      const now = ctx.clock.now().toISOString();
      out.set(id, { id, version: '', modifiedAt: now, fields: {}, deleted: true });
      return;
    }
    out.set(id, toRemoteRecord(parseBodyAs(memberSchema, assertOk(res, where), where)));
  })));
  return out;
}

const idPageSchema = z.object({ members: z.array(z.object({ id: z.string() }).loose()), total_items: z.number().optional() }).loose();

/** Every member id of the list, asking only for ids (`fields=members.id,total_items`). */
async function* listIdsMailchimp(object: string, ctx: ConnectorContext): AsyncIterable<RemoteId[]> {
  const path = objectPath(mailchimpFacts, object, ctx.params);
  const count = mailchimpFacts.pagination.maxPageSize;
  for (let offset = 0; ; offset += count) {
    const where = `system mailchimp: GET ${path}`;
    const res = await ctx.http.request({ method: 'GET', url: path, priority: 2, signal: ctx.signal, query: { fields: 'members.id,total_items', count, offset } });
    const page = parseBodyAs(idPageSchema, assertOk(res, where), where);
    yield page.members.map((m) => asRemoteId(m.id));
    if (page.members.length < count || (page.total_items !== undefined && offset + count >= page.total_items)) return;
  }
}

export function createMailchimpConnector(settings: ConnectorSettings): Connector {
  const baseUrl = mailchimpBaseUrl(settings);
  return {
    system: settings.system,
    capabilities: {
      cursorKind: 'timestamp',
      // Archives show up as changes: archived members are listed (with status=archived) beside the others.
      changesIncludeDeletes: true,
      webhooks: true,
      maxWriteBatch: mailchimpFacts.batch.write,
      maxReadBatch: mailchimpFacts.batch.read,
      optimisticConcurrency: false,
      // Creates are batch subscribes with update_existing keyed by email: repeating one cannot duplicate a member.
      idempotentCreate: true,
      delete: 'archive',
    },
    objects: objectSpecs(mailchimpFacts),
    limits: connectorLimits(mailchimpFacts),
    webhook: mailchimpWebhook,
    createHttpClient: (deps) => createConnectorHttpClient(mailchimpFacts, settings, baseUrl, deps),

    async verifyConnection(ctx) {
      const res = await ctx.http.request({ method: 'GET', url: '/ping', priority: 0, signal: ctx.signal });
      if (classifyResponse(res.status, res.headers) === 'ok') return { ok: true, message: 'Mailchimp answered an authenticated ping' };
      return { ok: false, message: `Mailchimp answered HTTP ${res.status}: ${providerMessage(res)}` };
    },

    listChanged: listChangedMailchimp,
    get: getMailchimp,
    listIds: listIdsMailchimp,

    async find(object, field, values, ctx) {
      const o = objectFacts(mailchimpFacts, object);
      if (!o.searchable.includes(field)) {
        throw new ConcordError('CONCORD_ERR_CONNECTOR_FIND_UNSUPPORTED',
          `system mailchimp, object ${object}: expected a searchable field (${o.searchable.join(', ')}), found "${field}"`);
      }
      // The member id is the hash of the email, so finding by email is a read by id.
      const found = await getMailchimp(object, values.map(subscriberHash), ctx);
      return [...found.values()].filter((r) => r.fields.email_address !== undefined);
    },

    async write(object, ops, ctx) {
      if (ops.length > mailchimpFacts.batch.write) {
        throw new ConcordError('CONCORD_ERR_CONNECTOR_BATCH_TOO_LARGE',
          `system mailchimp, object ${object}: expected at most ${mailchimpFacts.batch.write} ops per write, found ${ops.length}`);
      }
      return writeMailchimp(object, ops, ctx);
    },
  };
}
