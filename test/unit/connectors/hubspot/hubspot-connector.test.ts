import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHubspotConnector } from '../../../../src/connectors/hubspot/hubspot-connector.js';
import { asCursor, asRemoteId, asSystemId } from '../../../../src/shared/ids.js';
import type { ChangePage, Connector, ConnectorContext } from '../../../../src/connectors/contract.js';
import { startHubspotConnectorUnderTest, type HubspotTestServer } from './hubspot-test-server.js';
import { startLoopbackServer } from '../loopback-server.js';
import { createMemoryTokenStore } from '../../../../src/connectors/http/token-store.js';

let server: HubspotTestServer;
let connector: Connector;
let ctx: ConnectorContext;

beforeEach(async () => { ({ server, connector, ctx } = await startHubspotConnectorUnderTest()); });
afterEach(async () => { await server.close(); });

async function collect(pages: AsyncIterable<ChangePage>): Promise<ChangePage[]> {
  const out: ChangePage[] = [];
  for await (const p of pages) out.push(p);
  return out;
}

const T0 = Date.parse('2026-01-01T00:00:00Z');

describe('HubSpot listChanged', () => {
  it('pages past the 10,000-result search window by restarting from the last time seen, each record once', async () => {
    // 10,500 contacts; 400 of them share one instant that straddles the 10,000th result.
    for (let i = 0; i < 10_500; i++) {
      const t = i >= 9_700 && i < 10_100 ? T0 + 9_700_000 : T0 + i * 1000;
      server.add('contacts', { properties: { email: `c${i}@example.com` }, modifiedMs: t });
    }
    const pages = await collect(connector.listChanged('contacts', null, ctx));
    const ids = pages.flatMap((p) => p.records.map((r) => r.id));
    expect(ids).toHaveLength(10_500);
    expect(new Set(ids).size).toBe(10_500);
    const searches = server.seen.filter((r) => r.path.endsWith('/search')).map((r) => r.json as { after?: string; limit: number });
    expect(searches.every((s) => Number(s.after ?? 0) + s.limit <= 10_000)).toBe(true);
    const cursors = pages.map((p) => Date.parse(p.nextCursor));
    expect(cursors).toEqual([...cursors].sort((a, b) => a - b));
    expect(pages.at(-1)).toMatchObject({ done: true, nextCursor: new Date(T0 + 10_499_000).toISOString() });
  });

  it('misses nothing when a record already read is modified during the poll', async () => {
    const made = Array.from({ length: 600 }, (_, i) => server.add('contacts', { properties: { email: `p${i}@example.com` }, modifiedMs: T0 + i * 1000 }));
    // After the first page, an early record changes and moves to the end of the ascending order.
    server.state.afterSearch = (n) => { if (n === 1) made[5]!.modifiedMs = T0 + 10_000_000; };
    const pages = await collect(connector.listChanged('contacts', null, ctx));
    const ids = new Set<string>(pages.flatMap((p) => p.records.map((r) => r.id)));
    expect(made.filter((r) => !ids.has(r.id))).toEqual([]);
    expect(pages.at(-1)!.nextCursor).toBe(new Date(T0 + 10_000_000).toISOString());
  });

  it('asks only for records modified at or after the cursor, by the object’s own modified property', async () => {
    server.add('companies', { properties: { name: 'Old', domain: 'old.example' }, modifiedMs: T0 });
    server.add('companies', { properties: { name: 'New', domain: 'new.example' }, modifiedMs: T0 + 60_000 });
    const pages = await collect(connector.listChanged('companies', asCursor(new Date(T0 + 30_000).toISOString()), ctx));
    expect(pages.flatMap((p) => p.records.map((r) => r.fields.name))).toEqual(['New']);
    const body = server.seen.find((r) => r.path.endsWith('/search'))!.json as any;
    expect(body.filterGroups[0].filters[0]).toEqual({ propertyName: 'hs_lastmodifieddate', operator: 'GTE', value: String(T0 + 30_000) });
    expect(body.sorts).toEqual([{ propertyName: 'hs_lastmodifieddate', direction: 'ASCENDING' }]);
    expect(body.properties).toEqual(expect.arrayContaining(['name', 'domain', 'hs_lastmodifieddate']));
  });

  it('ends with one empty page when nothing changed, keeping the cursor', async () => {
    const c = asCursor('2026-02-01T00:00:00.000Z');
    expect(await collect(connector.listChanged('contacts', c, ctx))).toEqual([{ records: [], nextCursor: c, done: true }]);
  });

  it('stops with a coded error when more records share one instant than the window holds', async () => {
    for (let i = 0; i < 10_050; i++) server.add('contacts', { properties: { email: `s${i}@example.com` }, modifiedMs: T0 });
    await expect(collect(connector.listChanged('contacts', null, ctx))).rejects.toMatchObject({ code: 'CONCORD_ERR_CONNECTOR_CHANGE_WINDOW_STUCK' });
  });

  it('throws a coded, classified error on a 429', async () => {
    server.state.rateLimited = true;
    await expect(collect(connector.listChanged('contacts', null, ctx))).rejects.toMatchObject({
      code: 'CONCORD_ERR_CONNECTOR_HTTP_STATUS', details: { status: 429, errorClass: 'rate-limited', retryAfterMs: 2000 },
    });
  });
});

describe('HubSpot get and find', () => {
  it('reads in batches of 50 with property history and reports missing ids as deleted', async () => {
    const made = Array.from({ length: 120 }, (_, i) => server.add('contacts', { properties: { email: `g${i}@example.com`, firstname: `F${i}` }, modifiedMs: T0 + i }));
    const ids = [...made.map((r) => asRemoteId(r.id)), asRemoteId('999999')];
    const got = await connector.get('contacts', ids, ctx);
    expect(got.size).toBe(121);
    expect(server.seen.filter((r) => r.path.endsWith('/batch/read')).map((r) => (r.json as any).inputs.length)).toEqual([50, 50, 21]);
    const first = got.get(asRemoteId(made[0]!.id))!;
    expect(first).toMatchObject({ fields: { email: 'g0@example.com', firstname: 'F0' }, modifiedAt: new Date(T0).toISOString() });
    expect(first.fieldTimes?.firstname).toBe(new Date(T0 - 1000).toISOString());
    expect(got.get(asRemoteId('999999'))).toMatchObject({ deleted: true });
  });

  it('finds contacts by email with an IN filter and refuses fields it cannot search', async () => {
    server.add('contacts', { properties: { email: 'a@example.com' }, modifiedMs: T0 });
    server.add('contacts', { properties: { email: 'b@example.com' }, modifiedMs: T0 });
    const found = await connector.find('contacts', 'email', ['a@example.com', 'z@example.com'], ctx);
    expect(found.map((r) => r.fields.email)).toEqual(['a@example.com']);
    expect((server.seen.at(-1)!.json as any).filterGroups[0].filters[0]).toEqual({ propertyName: 'email', operator: 'IN', values: ['a@example.com', 'z@example.com'] });
    await expect(connector.find('contacts', 'firstname', ['x'], ctx)).rejects.toMatchObject({ code: 'CONCORD_ERR_CONNECTOR_FIND_UNSUPPORTED' });
  });
});

describe('HubSpot write', () => {
  it('gives one result per op, in order, from multi-status answers', async () => {
    const existing = server.add('contacts', { properties: { email: 'taken@example.com' }, modifiedMs: T0 });
    const gone = server.add('contacts', { properties: { email: 'gone@example.com' }, modifiedMs: T0 });
    const results = await connector.write('contacts', [
      { kind: 'create', ref: 'c1', fields: { email: 'new@example.com', firstname: 'New' }, idempotencyKey: 'k1' },
      { kind: 'update', ref: 'u-missing', id: asRemoteId('424242'), fields: { firstname: 'X' }, idempotencyKey: 'k2' },
      { kind: 'create', ref: 'c-dup', fields: { email: 'taken@example.com' }, idempotencyKey: 'k3' },
      { kind: 'update', ref: 'u1', id: asRemoteId(existing.id), fields: { firstname: 'Changed', phone: null }, idempotencyKey: 'k4' },
      { kind: 'delete', ref: 'd1', id: asRemoteId(gone.id), idempotencyKey: 'k5' },
    ], ctx);
    expect(results.map((r) => [r.ref, r.ok ? 'ok' : r.error.kind])).toEqual([
      ['c1', 'ok'], ['u-missing', 'not-found'], ['c-dup', 'conflict'], ['u1', 'ok'], ['d1', 'ok'],
    ]);
    expect(results[0]).toMatchObject({ ok: true, record: { fields: { email: 'new@example.com', firstname: 'New' } } });
    expect(results[4]).toMatchObject({ ok: true, record: { deleted: true } });
    expect(server.objects.get('contacts')!.get(existing.id)!.properties).toMatchObject({ firstname: 'Changed', phone: '' });
    expect(server.objects.get('contacts')!.has(gone.id)).toBe(false);
  });

  it('retries ops one by one when the whole batch is refused, so the good ones still land', async () => {
    server.state.rejectWholeBatch = true;
    const results = await connector.write('companies', [
      { kind: 'create', ref: 'a', fields: { name: 'A' }, idempotencyKey: 'a' },
      { kind: 'create', ref: 'b', fields: { name: 'B' }, idempotencyKey: 'b' },
    ], ctx);
    expect(results.map((r) => r.ok)).toEqual([true, true]);
    expect(server.objects.get('companies')!.size).toBe(2);
  });

  it('marks every op rate-limited with the wait HubSpot asked for on a 429', async () => {
    server.state.rateLimited = true;
    const results = await connector.write('contacts', [{ kind: 'create', ref: 'c', fields: { email: 'x@example.com' }, idempotencyKey: 'x' }], ctx);
    expect(results).toEqual([{ ref: 'c', ok: false, error: expect.objectContaining({ kind: 'rate-limited', status: 429, retryAfterMs: 2000 }) }]);
  });

  it('refuses more ops than one batch takes, as a bug', async () => {
    const ops = Array.from({ length: 101 }, (_, i) => ({ kind: 'create' as const, ref: `r${i}`, fields: {}, idempotencyKey: `k${i}` }));
    await expect(connector.write('contacts', ops, ctx)).rejects.toMatchObject({ code: 'CONCORD_ERR_CONNECTOR_BATCH_TOO_LARGE' });
  });
});

describe('HubSpot listIds', () => {
  it('lists every live id through the list endpoint, 100 at a time', async () => {
    const made = Array.from({ length: 250 }, (_, i) => server.add('companies', { properties: { name: `C${i}` }, modifiedMs: T0 }));
    const pages: string[][] = [];
    for await (const ids of connector.listIds!('companies', ctx)) pages.push(ids);
    expect(pages.map((p) => p.length)).toEqual([100, 100, 50]);
    expect(pages.flat().sort()).toEqual(made.map((r) => r.id).sort());
  });
});

describe('HubSpot connection check', () => {
  it('reports a working token and a rejected one', async () => {
    expect(await connector.verifyConnection(ctx)).toMatchObject({ ok: true });
    const bad = createHubspotConnector({ system: asSystemId('hubspot'), baseUrl: server.url, credentials: { access_token: 'wrong' }, emulator: true });
    const result = await bad.verifyConnection({ ...ctx, http: bad.createHttpClient!({ clock: ctx.clock }) });
    expect(result.ok).toBe(false);
    expect(result.message).toContain('401');
  });
  it('authenticates with OAuth2 from the token store, refreshing at HubSpot’s token path before expiry', async () => {
    const oauth = await startLoopbackServer((r) => {
      if (r.path === '/oauth/v1/token') return { json: { access_token: 'oauth-new', refresh_token: 'rt-2', expires_in: 1800 } };
      return r.headers.authorization === 'Bearer oauth-new' ? { json: { results: [] } } : { status: 401, json: { message: 'expired' } };
    });
    try {
      const c = createHubspotConnector({ system: asSystemId('hubspot'), baseUrl: oauth.url, credentials: { client_id: 'id', client_secret: 'sec' }, emulator: true });
      const store = createMemoryTokenStore({ hubspot: { accessToken: 'oauth-old', refreshToken: 'rt-1', expiresAt: '2026-03-01T00:04:00Z' } });
      const http = c.createHttpClient!({ clock: ctx.clock, tokenStore: store });
      expect(await c.verifyConnection({ ...ctx, http })).toMatchObject({ ok: true });
      expect(new URLSearchParams(oauth.seen[0]!.body).get('refresh_token')).toBe('rt-1');
      expect(store.saved.get('hubspot')).toMatchObject({ accessToken: 'oauth-new', refreshToken: 'rt-2', expiresAt: '2026-03-01T00:30:00.000Z' });
    } finally {
      await oauth.close();
    }
  });
  it('needs credentials for one of its auth methods', () => {
    const c = createHubspotConnector({ system: asSystemId('hubspot'), baseUrl: server.url, credentials: {}, emulator: true });
    expect(() => c.createHttpClient!({})).toThrowError(expect.objectContaining({ code: 'CONCORD_ERR_CONNECTOR_CREDENTIALS_MISSING' }));
  });
});
