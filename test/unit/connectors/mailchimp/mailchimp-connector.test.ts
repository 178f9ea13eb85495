import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMailchimpConnector } from '../../../../src/connectors/mailchimp/mailchimp-connector.js';
import { mailchimpBaseUrl, subscriberHash } from '../../../../src/connectors/mailchimp/mailchimp-objects.js';
import { asCursor, asRemoteId, asSystemId } from '../../../../src/shared/ids.js';
import { createManualClock } from '../../../../src/shared/clock.js';
import { silentLogger } from '../../../../src/shared/logger.js';
import type { ChangePage, Connector, ConnectorContext } from '../../../../src/connectors/contract.js';
import { startMailchimpTestServer } from './mailchimp-test-server.js';

let server: Awaited<ReturnType<typeof startMailchimpTestServer>>;
let connector: Connector;
let ctx: ConnectorContext;

beforeEach(async () => {
  server = await startMailchimpTestServer();
  connector = createMailchimpConnector({ system: asSystemId('mailchimp'), baseUrl: `${server.url}/3.0`, credentials: { api_key: 'key-us21' }, emulator: true });
  const clock = createManualClock('2026-03-01T00:00:00Z');
  ctx = { log: silentLogger, signal: new AbortController().signal, clock, http: connector.createHttpClient!({ clock }), params: { list_id: server.listId } };
});
afterEach(async () => { await server.close(); });

async function collect(pages: AsyncIterable<ChangePage>): Promise<ChangePage[]> {
  const out: ChangePage[] = [];
  for await (const p of pages) out.push(p);
  return out;
}

describe('Mailchimp identity and host', () => {
  it('hashes the lowercased email (derived vector) and takes the data centre from the key', () => {
    expect(subscriberHash('urist.mcvankab@freddiesjokes.com')).toBe('62eeb292278cc15f5817cb78f7790b08');
    expect(subscriberHash('Urist.McVankab@FreddiesJokes.com')).toBe('62eeb292278cc15f5817cb78f7790b08');
    const settings = { system: asSystemId('mailchimp'), baseUrl: '', emulator: false };
    expect(mailchimpBaseUrl({ ...settings, credentials: { api_key: '0123abcd-us21' } })).toBe('https://us21.api.mailchimp.com/3.0');
    expect(() => mailchimpBaseUrl({ ...settings, credentials: { api_key: 'nodc' } })).toThrowError(expect.objectContaining({ code: 'CONCORD_ERR_CONNECTOR_CREDENTIALS_MISSING' }));
  });
});

describe('Mailchimp listChanged', () => {
  it('pages with count 1000 and offset, oldest first, ending at the newest change', async () => {
    for (let i = 0; i < 2_345; i++) server.add({ email_address: `m${i}@example.com`, merge_fields: { FNAME: `N${i}` } });
    const pages = await collect(connector.listChanged('members', null, ctx));
    expect(pages.map((p) => p.records.length)).toEqual([1000, 1000, 345]);
    expect(new Set(pages.flatMap((p) => p.records.map((r) => r.id))).size).toBe(2_345);
    const asks = server.seen.filter((r) => r.method === 'GET' && r.path.endsWith('/members') && !r.url.searchParams.has('status'));
    expect(asks.map((r) => [r.url.searchParams.get('count'), r.url.searchParams.get('offset')])).toEqual([['1000', '0'], ['1000', '1000'], ['1000', '2000']]);
    const last = [...server.members.values()].at(-1)!;
    expect(pages.at(-1)).toMatchObject({ done: true, nextCursor: new Date(last.last_changed).toISOString() });
    expect(pages[0]!.records[0]).toMatchObject({ id: subscriberHash('m0@example.com'), fields: { email_address: 'm0@example.com', status: 'subscribed', merge_fields: { FNAME: 'N0' }, tags: [] } });
  });

  it('passes the cursor as since_last_changed and reports archived members as deleted', async () => {
    const old = server.add({ email_address: 'old@example.com' });
    const gone = server.add({ email_address: 'gone@example.com', status: 'archived' });
    const pages = await collect(connector.listChanged('members', asCursor(new Date(Date.parse(old.last_changed) + 1000).toISOString()), ctx));
    expect(pages.flatMap((p) => p.records.map((r) => [r.fields.email_address, r.deleted ?? false]))).toEqual([['gone@example.com', true]]);
    expect(server.seen.at(-1)!.url.searchParams.get('since_last_changed')).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$/);
    expect(gone.status).toBe('archived');
  });

  it('needs the list_id param', async () => {
    await expect(collect(connector.listChanged('members', null, { ...ctx, params: {} }))).rejects.toMatchObject({ code: 'CONCORD_ERR_CONNECTOR_PARAM_MISSING' });
  });
});

describe('Mailchimp listIds', () => {
  it('lists every member id, 1000 at a time', async () => {
    for (let i = 0; i < 1_500; i++) server.add({ email_address: `i${i}@example.com` });
    const pages: string[][] = [];
    for await (const ids of connector.listIds!('members', ctx)) pages.push(ids);
    expect(pages.map((p) => p.length)).toEqual([1000, 500]);
    expect(new Set(pages.flat())).toEqual(new Set([...server.members.keys()]));
  });
});

describe('Mailchimp get and find', () => {
  it('reads members by hash, reports unknown ones as deleted, and finds by email in any case', async () => {
    server.add({ email_address: 'ann@example.com', tags: ['vip', 'a'] });
    const got = await connector.get('members', [subscriberHash('ann@example.com'), asRemoteId('0'.repeat(32))], ctx);
    expect(got.get(subscriberHash('ann@example.com'))).toMatchObject({ fields: { email_address: 'ann@example.com', tags: ['a', 'vip'] } });
    expect(got.get(asRemoteId('0'.repeat(32)))).toMatchObject({ deleted: true });
    const found = await connector.find('members', 'email_address', ['ANN@example.com', 'nobody@example.com'], ctx);
    expect(found.map((r) => r.fields.email_address)).toEqual(['ann@example.com']);
    await expect(connector.find('members', 'status', ['x'], ctx)).rejects.toMatchObject({ code: 'CONCORD_ERR_CONNECTOR_FIND_UNSUPPORTED' });
  });
});

describe('Mailchimp get of many members', () => {
  const memberGets = () => server.seen.filter((r) => r.method === 'GET' && /\/members\/[0-9a-f]{32}$/.test(r.path)).length;
  const listPages = () => server.seen.filter((r) => r.method === 'GET' && r.path.endsWith('/members')).length;

  it('reads many members from pages of the member list, and what the pages lack one by one', async () => {
    for (let i = 0; i < 1_200; i++) server.add({ email_address: `p${i}@example.com` });
    const wanted = [...Array.from({ length: 300 }, (_, i) => subscriberHash(`p${i * 4}@example.com`)), asRemoteId('0'.repeat(32))];
    const got = await connector.get('members', wanted, ctx);
    expect(got.size).toBe(301);
    expect(got.get(subscriberHash('p1196@example.com'))).toMatchObject({ fields: { email_address: 'p1196@example.com' } });
    expect(got.get(asRemoteId('0'.repeat(32)))).toMatchObject({ deleted: true });
    // Two pages of 1000 instead of 300 reads; only the unknown id is asked for by itself.
    expect(listPages()).toBe(2);
    expect(memberGets()).toBe(1);
  });

  it('stops paging when the pages left are more than the ids still missing, and reads those by id', async () => {
    for (let i = 0; i < 30_000; i++) server.add({ email_address: `q${i}@example.com` });
    const wanted = Array.from({ length: 25 }, (_, i) => subscriberHash(`q${29_000 + i}@example.com`));
    const got = await connector.get('members', wanted, ctx);
    expect([...got.values()].filter((r) => !r.deleted)).toHaveLength(25);
    expect(listPages()).toBe(1);
    expect(memberGets()).toBe(25);
  });

  it('reads a few members by id, without listing', async () => {
    for (let i = 0; i < 50; i++) server.add({ email_address: `r${i}@example.com` });
    await connector.get('members', Array.from({ length: 5 }, (_, i) => subscriberHash(`r${i}@example.com`)), ctx);
    expect(listPages()).toBe(0);
    expect(memberGets()).toBe(5);
  });
});

describe('Mailchimp write', () => {
  it('creates by batch subscribe with per-member results, sets tags, patches updates and archives deletes', async () => {
    server.add({ email_address: 'exists@example.com', merge_fields: { FNAME: 'Old' }, tags: ['old', 'keep'] });
    server.add({ email_address: 'unsub@example.com', status: 'unsubscribed' });
    server.add({ email_address: 'bye@example.com' });
    const results = await connector.write('members', [
      { kind: 'create', ref: 'new', fields: { email_address: 'new@example.com', status: 'subscribed', 'merge_fields.FNAME': 'Nia', tags: ['lead'] }, idempotencyKey: '1' },
      { kind: 'create', ref: 'bad', fields: { email_address: 'not-an-email', status: 'subscribed' }, idempotencyKey: '2' },
      { kind: 'create', ref: 'compliance', fields: { email_address: 'unsub@example.com', status: 'subscribed' }, idempotencyKey: '3' },
      { kind: 'update', ref: 'upd', id: subscriberHash('exists@example.com'), fields: { merge_fields: { FNAME: 'New' }, tags: ['keep', 'vip'] }, idempotencyKey: '4' },
      { kind: 'delete', ref: 'del', id: subscriberHash('bye@example.com'), idempotencyKey: '5' },
      { kind: 'update', ref: 'missing', id: asRemoteId('f'.repeat(32)), fields: { status: 'unsubscribed' }, idempotencyKey: '6' },
    ], ctx);
    expect(results.map((r) => [r.ref, r.ok ? 'ok' : r.error.kind])).toEqual([
      ['new', 'ok'], ['bad', 'validation'], ['compliance', 'validation'], ['upd', 'ok'], ['del', 'ok'], ['missing', 'not-found'],
    ]);
    const batch = server.seen.find((r) => r.method === 'POST' && r.path === `/3.0/lists/${server.listId}`)!.json as any;
    expect(batch.update_existing).toBe(true);
    expect(batch.members[0]).toEqual({ email_address: 'new@example.com', status: 'subscribed', merge_fields: { FNAME: 'Nia' } });
    expect(server.members.get(server.hash('new@example.com'))).toMatchObject({ merge_fields: { FNAME: 'Nia' }, tags: ['lead'] });
    expect(server.members.get(server.hash('exists@example.com'))).toMatchObject({ merge_fields: { FNAME: 'New' }, tags: ['keep', 'vip'] });
    expect(server.members.get(server.hash('bye@example.com'))!.status).toBe('archived');
    expect(server.members.get(server.hash('unsub@example.com'))!.status).toBe('unsubscribed');
    expect(results[0]).toMatchObject({ ok: true, record: { id: subscriberHash('new@example.com'), fields: { tags: ['lead'] } } });
  });

  it('reports a member written without its tags as landed in part, for the engine to read rather than call failed', async () => {
    server.add({ email_address: 'exists@example.com', tags: ['old'] });
    server.state.tagsDown = true;
    const results = await connector.write('members', [
      { kind: 'create', ref: 'new', fields: { email_address: 'new@example.com', status: 'subscribed', tags: ['lead'] }, idempotencyKey: '1' },
      { kind: 'update', ref: 'upd', id: subscriberHash('exists@example.com'), fields: { merge_fields: { FNAME: 'New' }, tags: ['vip'] }, idempotencyKey: '2' },
      { kind: 'create', ref: 'plain', fields: { email_address: 'plain@example.com', status: 'subscribed' }, idempotencyKey: '3' },
    ], ctx);
    expect(results.map((r) => [r.ref, r.ok, !r.ok && r.unknown === true])).toEqual([['new', false, true], ['upd', false, true], ['plain', true, false]]);
    expect(server.members.get(server.hash('new@example.com'))).toMatchObject({ status: 'subscribed', tags: [] });
    expect(server.members.get(server.hash('exists@example.com'))).toMatchObject({ merge_fields: { FNAME: 'New' }, tags: ['old'] });
  });

  it('marks ops rate-limited with the declared default wait when Mailchimp answers 429 without headers', async () => {
    server.add({ email_address: 'x@example.com' });
    server.state.rateLimited = true;
    const results = await connector.write('members', [
      { kind: 'create', ref: 'c', fields: { email_address: 'n@example.com' }, idempotencyKey: '1' },
      { kind: 'update', ref: 'u', id: subscriberHash('x@example.com'), fields: { status: 'unsubscribed' }, idempotencyKey: '2' },
    ], ctx);
    expect(results.map((r) => (r.ok ? 'ok' : [r.error.kind, r.error.retryAfterMs]))).toEqual([['rate-limited', 5000], ['rate-limited', 5000]]);
    await expect(collect(connector.listChanged('members', null, ctx))).rejects.toMatchObject({ code: 'CONCORD_ERR_CONNECTOR_HTTP_STATUS', details: { errorClass: 'rate-limited' } });
  });

  it('refuses more than 500 ops in one call, as a bug', async () => {
    const ops = Array.from({ length: 501 }, (_, i) => ({ kind: 'create' as const, ref: `r${i}`, fields: { email_address: `x${i}@e.com` }, idempotencyKey: `k${i}` }));
    await expect(connector.write('members', ops, ctx)).rejects.toMatchObject({ code: 'CONCORD_ERR_CONNECTOR_BATCH_TOO_LARGE' });
  });

  it('checks the connection with an authenticated ping', async () => {
    expect(await connector.verifyConnection(ctx)).toMatchObject({ ok: true });
  });
});
