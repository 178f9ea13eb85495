import { afterEach, describe, expect, it } from 'vitest';
import { createHttpClient, joinUrl } from '../../../../src/connectors/http/http-client.js';
import { createApiKeyAuth, createBasicAuth, createBearerAuth, createOAuth2Auth } from '../../../../src/connectors/http/auth-strategies.js';
import { createMemoryTokenStore } from '../../../../src/connectors/http/token-store.js';
import { createManualClock } from '../../../../src/shared/clock.js';
import type { RateLimitObservation } from '../../../../src/connectors/http/rate-limit-headers.js';
import { startLoopbackServer, type Handler } from '../loopback-server.js';

const servers: Array<{ close(): Promise<void> }> = [];
afterEach(async () => { await Promise.all(servers.splice(0).map((s) => s.close())); });
async function serve(handler: Handler) {
  const s = await startLoopbackServer(handler);
  servers.push(s);
  return s;
}

describe('shared HTTP client on a loopback server', () => {
  it('joins the base path, adds the query, sends JSON and form bodies, and parses JSON answers', async () => {
    const s = await serve((r) => ({ json: { got: r.path, q: r.url.search, ct: r.headers['content-type'], body: r.body } }));
    const http = createHttpClient({ system: 'x', baseUrl: `${s.url}/3.0/`, emulator: true });
    const a = await http.request<{ got: string; q: string; ct: string; body: string }>({ method: 'POST', url: '/lists/abc', query: { count: 10, skip: undefined, a: 'b c' }, json: { k: 1 } });
    expect(a.status).toBe(200);
    expect(a.body).toEqual({ got: '/3.0/lists/abc', q: '?count=10&a=b+c', ct: 'application/json', body: '{"k":1}' });
    const f = await http.request<{ ct: string; body: string }>({ method: 'POST', url: 'token', form: { grant_type: 'refresh_token', x: 'a&b' } });
    expect(f.body.ct).toBe('application/x-www-form-urlencoded');
    expect(new URLSearchParams(f.body.body).get('x')).toBe('a&b');
  });

  it('resolves for error statuses with the body as text or JSON', async () => {
    const s = await serve((r) => (r.path === '/a' ? { status: 500, text: 'boom' } : { status: 404, json: { message: 'nope' } }));
    const http = createHttpClient({ system: 'x', baseUrl: s.url, emulator: true });
    expect(await http.request({ method: 'GET', url: '/a' })).toMatchObject({ status: 500, body: 'boom', text: 'boom' });
    expect(await http.request({ method: 'GET', url: '/b' })).toMatchObject({ status: 404, body: { message: 'nope' } });
  });

  it('gives up on a silent server with a coded timeout error', async () => {
    const s = await serve(() => ({ hang: true }));
    const http = createHttpClient({ system: 'x', baseUrl: s.url, emulator: true });
    await expect(http.request({ method: 'GET', url: '/slow', timeoutMs: 150 })).rejects.toMatchObject({ code: 'CONCORD_ERR_CONNECTOR_TIMEOUT' });
  });

  it('reports a refused connection as a coded network error', async () => {
    const s = await serve(() => ({}));
    await s.close();
    servers.pop();
    const http = createHttpClient({ system: 'x', baseUrl: s.url, emulator: true });
    await expect(http.request({ method: 'GET', url: '/' })).rejects.toMatchObject({ code: 'CONCORD_ERR_CONNECTOR_NETWORK' });
  });

  it('does not follow redirects', async () => {
    const s = await serve((r) => (r.path === '/from' ? { status: 302, headers: { location: '/to' } } : { json: { reached: true } }));
    const http = createHttpClient({ system: 'x', baseUrl: s.url, emulator: true });
    const res = await http.request({ method: 'GET', url: '/from' });
    expect(res.status).toBe(302);
    expect(s.seen.map((r) => r.path)).toEqual(['/from']);
  });

  it('sends bearer, basic and API-key credentials as the server sees them', async () => {
    const s = await serve((r) => ({ json: { auth: r.headers.authorization ?? null, key: r.headers['x-api-key'] ?? null } }));
    const bearer = createHttpClient({ system: 'x', baseUrl: s.url, emulator: true, auth: createBearerAuth('pat-na1-abc') });
    const basic = createHttpClient({ system: 'x', baseUrl: s.url, emulator: true, auth: createBasicAuth('any', 'key-us21') });
    const key = createHttpClient({ system: 'x', baseUrl: s.url, emulator: true, auth: createApiKeyAuth('X-API-Key', 'k1') });
    expect((await bearer.request({ method: 'GET', url: '/' })).body).toEqual({ auth: 'Bearer pat-na1-abc', key: null });
    expect((await basic.request({ method: 'GET', url: '/' })).body).toEqual({ auth: `Basic ${Buffer.from('any:key-us21').toString('base64')}`, key: null });
    expect((await key.request({ method: 'GET', url: '/' })).body).toEqual({ auth: null, key: 'k1' });
  });

  it('reads rate-limit headers named by the connector and Retry-After', async () => {
    const s = await serve(() => ({ status: 429, headers: { 'X-HubSpot-RateLimit-Max': '100', 'X-HubSpot-RateLimit-Remaining': '0', 'X-HubSpot-RateLimit-Interval-Milliseconds': '10000', 'Retry-After': '3' }, json: {} }));
    const seen: RateLimitObservation[] = [];
    const http = createHttpClient({
      system: 'x', baseUrl: s.url, emulator: true, onRateLimit: (o) => seen.push(o),
      rateLimitHeaders: { limit: 'X-HubSpot-RateLimit-Max', remaining: 'X-HubSpot-RateLimit-Remaining', intervalMs: 'X-HubSpot-RateLimit-Interval-Milliseconds' },
    });
    const res = await http.request({ method: 'GET', url: '/' });
    expect(res.rateLimit).toEqual({ limit: 100, remaining: 0, windowMs: 10000, retryAfterMs: 3000 });
    expect(seen).toEqual([res.rateLimit]);
  });

  it('reports the declared default wait for a 429 without Retry-After', async () => {
    const s = await serve(() => ({ status: 429, json: { message: 'slow down' } }));
    const http = createHttpClient({ system: 'x', baseUrl: s.url, emulator: true, defaultRetryAfterMs: 10_000 });
    expect((await http.request({ method: 'GET', url: '/' })).rateLimit).toEqual({ retryAfterMs: 10_000 });
  });
});

describe('OAuth2 through the shared client', () => {
  function oauthServer(opts: { apiAnswers401?: 'always' | 'once'; tokenStatus?: number }) {
    let issued = 0;
    let unauthorizedLeft = opts.apiAnswers401 === 'once' ? 1 : opts.apiAnswers401 === 'always' ? Infinity : 0;
    return serve((r) => {
      if (r.path === '/oauth/v1/token') {
        if (opts.tokenStatus && opts.tokenStatus !== 200) return { status: opts.tokenStatus, json: { status: 'BAD_REFRESH_TOKEN', message: 'missing or unknown refresh token' } };
        issued += 1;
        return { json: { access_token: `fresh-${issued}`, refresh_token: 'r2', expires_in: 1800 } };
      }
      if (unauthorizedLeft > 0) { unauthorizedLeft -= 1; return { status: 401, json: { message: 'expired' } }; }
      return { json: { auth: r.headers.authorization } };
    });
  }
  function client(url: string, store: ReturnType<typeof createMemoryTokenStore>, clock = createManualClock('2026-01-01T00:00:00Z')) {
    const inner = createHttpClient({ system: 'hubspot', baseUrl: url, emulator: true, clock });
    const auth = createOAuth2Auth({ system: 'hubspot', tokenUrl: '/oauth/v1/token', clientId: 'cid', clientSecret: 'cs', store, clock, http: inner });
    return createHttpClient({ system: 'hubspot', baseUrl: url, emulator: true, clock, auth });
  }

  it('refreshes a token that expires within five minutes before using it, once for concurrent requests, and saves it', async () => {
    const s = await oauthServer({});
    const store = createMemoryTokenStore({ hubspot: { accessToken: 'old', refreshToken: 'r1', expiresAt: '2026-01-01T00:02:00Z' } });
    const http = client(s.url, store);
    const answers = await Promise.all([1, 2, 3].map(() => http.request<{ auth: string }>({ method: 'GET', url: '/crm' })));
    expect(answers.map((a) => a.body.auth)).toEqual(['Bearer fresh-1', 'Bearer fresh-1', 'Bearer fresh-1']);
    const tokenCalls = s.seen.filter((r) => r.path === '/oauth/v1/token');
    expect(tokenCalls).toHaveLength(1);
    expect(Object.fromEntries(new URLSearchParams(tokenCalls[0]!.body))).toEqual({ grant_type: 'refresh_token', client_id: 'cid', client_secret: 'cs', refresh_token: 'r1' });
    expect(store.saved.get('hubspot')).toEqual({ accessToken: 'fresh-1', refreshToken: 'r2', expiresAt: '2026-01-01T00:30:00.000Z' });
  });

  it('uses a token that is still valid without refreshing', async () => {
    const s = await oauthServer({});
    const store = createMemoryTokenStore({ hubspot: { accessToken: 'good', refreshToken: 'r1', expiresAt: '2026-01-01T00:20:00Z' } });
    const res = await client(s.url, store).request<{ auth: string }>({ method: 'GET', url: '/crm' });
    expect(res.body.auth).toBe('Bearer good');
    expect(s.seen.filter((r) => r.path === '/oauth/v1/token')).toHaveLength(0);
  });

  it('refreshes once after a 401 and retries the request once', async () => {
    const once = await oauthServer({ apiAnswers401: 'once' });
    const store = createMemoryTokenStore({ hubspot: { accessToken: 'revoked', refreshToken: 'r1', expiresAt: '2026-01-01T00:20:00Z' } });
    const ok = await client(once.url, store).request<{ auth: string }>({ method: 'GET', url: '/crm' });
    expect(ok.status).toBe(200);
    expect(ok.body.auth).toBe('Bearer fresh-1');

    const always = await oauthServer({ apiAnswers401: 'always' });
    const store2 = createMemoryTokenStore({ hubspot: { accessToken: 'revoked', refreshToken: 'r1', expiresAt: '2026-01-01T00:20:00Z' } });
    const still = await client(always.url, store2).request({ method: 'GET', url: '/crm' });
    expect(still.status).toBe(401);
    expect(always.seen.map((r) => r.path)).toEqual(['/crm', '/oauth/v1/token', '/crm']);
  });

  it('turns a refused refresh into a coded auth error', async () => {
    const s = await oauthServer({ tokenStatus: 400 });
    const store = createMemoryTokenStore({ hubspot: { accessToken: 'old', refreshToken: 'bad', expiresAt: '2026-01-01T00:01:00Z' } });
    await expect(client(s.url, store).request({ method: 'GET', url: '/crm' })).rejects.toMatchObject({ code: 'CONCORD_ERR_CONNECTOR_AUTH_REFRESH_FAILED' });
    expect(store.saved.get('hubspot')?.accessToken).toBe('old');
  });
});

describe('joinUrl', () => {
  it('keeps the base path and leaves absolute URLs alone', () => {
    expect(joinUrl('https://us21.api.mailchimp.com/3.0', 'lists')).toBe('https://us21.api.mailchimp.com/3.0/lists');
    expect(joinUrl('https://api.hubapi.com/', '/crm/v3/objects/contacts', { limit: 1 })).toBe('https://api.hubapi.com/crm/v3/objects/contacts?limit=1');
    expect(joinUrl('https://a.example', 'https://b.example/x')).toBe('https://b.example/x');
  });
});
