import { afterEach, describe, expect, it } from 'vitest';
import { startHubSpotEmulator, type RunningHubSpotEmulator } from '../../../src/emulators/hubspot/hubspot-emulator.js';

let emulator: RunningHubSpotEmulator | undefined;
afterEach(async () => { await emulator?.close(); emulator = undefined; });

async function start(options: Parameters<typeof startHubSpotEmulator>[0] = {}) {
  emulator = await startHubSpotEmulator({ seed: 'test', ...options });
  const e = emulator;
  const auth = { authorization: `Bearer ${e.credentials.privateAppToken}`, 'content-type': 'application/json' };
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = auth) => {
    const res = await fetch(`${e.url}${path}`, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
  };
  const seed = async (object: string, records: unknown[]) => {
    const r = await call('POST', `/__emulator/records/${object}`, records, { 'content-type': 'application/json' });
    expect(r.status).toBe(201);
    return r.body.result as string[];
  };
  return { e, call, seed, auth };
}

const contacts = (n: number, from = 0) => Array.from({ length: n }, (_, i) => ({ email: `c${from + i}@example.com`, firstname: `C${from + i}` }));

describe('HubSpot emulator: reading', () => {
  it('lists every contact exactly once by following paging.next.after to the end', async () => {
    const { call, seed } = await start();
    const ids = await seed('contacts', contacts(237));
    const seen: string[] = [];
    let after: string | undefined;
    let pages = 0;
    do {
      const r = await call('GET', `/crm/v3/objects/contacts?limit=100&properties=email${after ? `&after=${after}` : ''}`);
      expect(r.status).toBe(200);
      seen.push(...r.body.results.map((x: { id: string }) => x.id));
      after = r.body.paging?.next?.after;
      pages += 1;
    } while (after);
    expect(pages).toBe(3);
    expect(seen).toEqual(ids);
  });

  it('caps a list page at 100 and returns requested properties, null when unset, plus hs_object_id', async () => {
    const { call, seed } = await start();
    await seed('contacts', contacts(150));
    const r = await call('GET', '/crm/v3/objects/contacts?limit=500&properties=email,phone');
    expect(r.body.results).toHaveLength(100);
    const first = r.body.results[0];
    expect(first.properties).toMatchObject({ email: 'c0@example.com', phone: null, hs_object_id: first.id });
    expect(first).toMatchObject({ archived: false });
    expect(Date.parse(first.createdAt)).not.toBeNaN();
  });

  it('search filters with GTE on lastmodifieddate, sorts ascending and pages with after', async () => {
    const { call, seed } = await start();
    await seed('contacts', contacts(30));
    const body = (after?: string) => ({
      filterGroups: [{ filters: [{ propertyName: 'lastmodifieddate', operator: 'GTE', value: '0' }] }],
      sorts: [{ propertyName: 'lastmodifieddate', direction: 'ASCENDING' }],
      properties: ['email'], limit: 20, ...(after ? { after } : {}),
    });
    const p1 = await call('POST', '/crm/v3/objects/contacts/search', body());
    expect(p1.status).toBe(200);
    expect(p1.body.total).toBe(30);
    expect(p1.body.results).toHaveLength(20);
    const p2 = await call('POST', '/crm/v3/objects/contacts/search', body(p1.body.paging.next.after));
    expect(p2.body.results).toHaveLength(10);
    expect(p2.body.paging).toBeUndefined();
  });

  it('search understands EQ (case-insensitive), IN, NEQ, HAS_PROPERTY and OR between groups', async () => {
    const { call, seed } = await start();
    await seed('contacts', [{ email: 'a@x.com', lifecyclestage: 'lead' }, { email: 'b@x.com', lifecyclestage: 'customer' }, { email: 'c@x.com' }]);
    const emails = async (filterGroups: unknown) => {
      const r = await call('POST', '/crm/v3/objects/contacts/search', { filterGroups, properties: ['email'] });
      return r.body.results.map((x: { properties: { email: string } }) => x.properties.email);
    };
    expect(await emails([{ filters: [{ propertyName: 'email', operator: 'EQ', value: 'B@X.COM' }] }])).toEqual(['b@x.com']);
    expect(await emails([{ filters: [{ propertyName: 'lifecyclestage', operator: 'IN', values: ['lead', 'customer'] }] }])).toEqual(['a@x.com', 'b@x.com']);
    expect(await emails([{ filters: [{ propertyName: 'lifecyclestage', operator: 'NOT_HAS_PROPERTY' }] }])).toEqual(['c@x.com']);
    expect(await emails([
      { filters: [{ propertyName: 'email', operator: 'EQ', value: 'a@x.com' }] },
      { filters: [{ propertyName: 'email', operator: 'EQ', value: 'c@x.com' }] },
    ])).toEqual(['a@x.com', 'c@x.com']);
  });

  it('search refuses a limit over 200 and more than 5 filter groups', async () => {
    const { call } = await start();
    const big = await call('POST', '/crm/v3/objects/contacts/search', { limit: 201 });
    expect(big.status).toBe(400);
    expect(big.body).toMatchObject({ status: 'error', category: 'VALIDATION_ERROR' });
    const groups = Array.from({ length: 6 }, () => ({ filters: [{ propertyName: 'email', operator: 'HAS_PROPERTY' }] }));
    expect((await call('POST', '/crm/v3/objects/contacts/search', { filterGroups: groups })).status).toBe(400);
  });

  it('search stops at the 10,000-result window: the last cursor leads to a 400', async () => {
    const { call, seed } = await start({ limits: { searchPerSecond: 1_000_000, burstPer10Seconds: 1_000_000 } });
    await seed('contacts', contacts(10_050));
    const last = await call('POST', '/crm/v3/objects/contacts/search', { limit: 200, after: '9800' });
    expect(last.status).toBe(200);
    expect(last.body.total).toBe(10_050);
    expect(last.body.results).toHaveLength(200);
    expect(last.body.paging.next.after).toBe('10000');
    const beyond = await call('POST', '/crm/v3/objects/contacts/search', { limit: 200, after: last.body.paging.next.after });
    expect(beyond.status).toBe(400);
    expect(beyond.body).toMatchObject({ status: 'error', category: 'VALIDATION_ERROR' });
    // A page straddling the window is cut at 10,000.
    const straddle = await call('POST', '/crm/v3/objects/contacts/search', { limit: 200, after: '9900' });
    expect(straddle.body.results).toHaveLength(100);
  });
});

describe('HubSpot emulator: batches', () => {
  it('batch read answers 207 with the found records and one OBJECT_NOT_FOUND error naming the missing ids', async () => {
    const { call, seed } = await start();
    const [id] = await seed('contacts', contacts(1));
    const r = await call('POST', '/crm/v3/objects/contacts/batch/read', { inputs: [{ id }, { id: '999999' }], properties: ['email'] });
    expect(r.status).toBe(207);
    expect(r.body.results.map((x: { id: string }) => x.id)).toEqual([id]);
    expect(r.body.numErrors).toBe(1);
    expect(r.body.errors[0]).toMatchObject({ status: 'error', category: 'OBJECT_NOT_FOUND', context: { ids: ['999999'] } });
  });

  it('batch read returns property history newest first and limits history reads to 50 inputs', async () => {
    const { call, seed } = await start();
    const [id] = await seed('contacts', contacts(1));
    await call('PATCH', `/crm/v3/objects/contacts/${id}`, { properties: { firstname: 'Second' } });
    const r = await call('POST', '/crm/v3/objects/contacts/batch/read', { inputs: [{ id }], properties: ['firstname'], propertiesWithHistory: ['firstname'] });
    expect(r.status).toBe(200);
    expect(r.body.results[0].propertiesWithHistory.firstname.map((h: { value: string }) => h.value)).toEqual(['Second', 'C0']);
    const many = Array.from({ length: 51 }, (_, i) => ({ id: String(i) }));
    expect((await call('POST', '/crm/v3/objects/contacts/batch/read', { inputs: many, propertiesWithHistory: ['firstname'] })).status).toBe(400);
  });

  it('refuses more than 100 inputs in a batch write and writes nothing', async () => {
    const { call } = await start();
    const inputs = contacts(101).map((properties) => ({ properties }));
    const r = await call('POST', '/crm/v3/objects/contacts/batch/create', { inputs });
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ status: 'error', category: 'VALIDATION_ERROR' });
    expect((await call('GET', '/crm/v3/objects/contacts')).body.results).toHaveLength(0);
  });

  it('batch create: with objectWriteTraceId every input gets its own result or error (207); without, one bad input fails all', async () => {
    const { call, seed } = await start();
    const [existing] = await seed('contacts', [{ email: 'taken@example.com' }]);
    const traced = await call('POST', '/crm/v3/objects/contacts/batch/create', { inputs: [
      { properties: { email: 'new@example.com' }, objectWriteTraceId: 't1' },
      { properties: { email: 'taken@example.com' }, objectWriteTraceId: 't2' },
      { properties: { email: 'x@example.com', nosuchprop: '1' }, objectWriteTraceId: 't3' },
    ] });
    expect(traced.status).toBe(207);
    expect(traced.body.results.map((r: { properties: { email: string } }) => r.properties.email)).toEqual(['new@example.com']);
    expect(traced.body.errors).toEqual([
      expect.objectContaining({ category: 'CONFLICT', message: `Contact already exists. Existing ID: ${existing}`, context: { objectWriteTraceId: ['t2'] } }),
      expect.objectContaining({ category: 'VALIDATION_ERROR', context: { objectWriteTraceId: ['t3'] } }),
    ]);
    const untraced = await call('POST', '/crm/v3/objects/contacts/batch/create', { inputs: [
      { properties: { email: 'other@example.com' } }, { properties: { email: 'taken@example.com' } },
    ] });
    expect(untraced.status).toBe(409);
    expect(untraced.body).toMatchObject({ status: 'error', category: 'CONFLICT' });
    const search = await call('POST', '/crm/v3/objects/contacts/search', { filterGroups: [{ filters: [{ propertyName: 'email', operator: 'EQ', value: 'other@example.com' }] }] });
    expect(search.body.total).toBe(0);
  });

  it('batch update changes values, moves updatedAt, clears with an empty string and rejects read-only properties', async () => {
    const { call, seed } = await start();
    const [id] = await seed('contacts', [{ email: 'u@example.com', phone: '+1' }]);
    const before = (await call('GET', `/crm/v3/objects/contacts/${id}?properties=phone`)).body;
    await new Promise((r) => setTimeout(r, 5));
    const r = await call('POST', '/crm/v3/objects/contacts/batch/update', { inputs: [{ id, properties: { phone: '', firstname: 'U' } }] });
    expect(r.status).toBe(200);
    const after = (await call('GET', `/crm/v3/objects/contacts/${id}?properties=phone,firstname`)).body;
    expect(after.properties).toMatchObject({ phone: null, firstname: 'U' });
    expect(Date.parse(after.updatedAt)).toBeGreaterThan(Date.parse(before.updatedAt));
    const ro = await call('POST', '/crm/v3/objects/contacts/batch/update', { inputs: [{ id, properties: { hs_object_id: '5' } }] });
    expect(ro.status).toBe(400);
  });

  it('batch archive answers 204; archived records leave lists and search and appear with archived=true', async () => {
    const { call, seed } = await start();
    const [a, b] = await seed('companies', [{ name: 'A', domain: 'a.test' }, { name: 'B', domain: 'b.test' }]);
    const r = await call('POST', '/crm/v3/objects/companies/batch/archive', { inputs: [{ id: a }, { id: '424242' }] });
    expect(r.status).toBe(204);
    expect((await call('GET', '/crm/v3/objects/companies')).body.results.map((x: { id: string }) => x.id)).toEqual([b]);
    const archived = (await call('GET', '/crm/v3/objects/companies?archived=true')).body.results;
    expect(archived).toEqual([expect.objectContaining({ id: a, archived: true, archivedAt: expect.any(String) })]);
    expect((await call('POST', '/crm/v3/objects/companies/search', {})).body.total).toBe(1);
  });

  it('refuses an unknown property until it is created through the properties API', async () => {
    const { call, seed } = await start();
    const [id] = await seed('contacts', contacts(1));
    const before = await call('PATCH', `/crm/v3/objects/contacts/${id}`, { properties: { concord_tags: 'a;b' } });
    expect(before.status).toBe(400);
    expect(before.body.errors[0]).toMatchObject({ code: 'PROPERTY_DOESNT_EXIST' });
    const created = await call('POST', '/crm/v3/properties/contacts', {
      name: 'concord_tags', label: 'Tags', type: 'enumeration', fieldType: 'checkbox', groupName: 'contactinformation',
    });
    expect(created.status).toBe(201);
    expect((await call('PATCH', `/crm/v3/objects/contacts/${id}`, { properties: { concord_tags: 'a;b' } })).status).toBe(200);
    const listed = await call('GET', '/crm/v3/properties/contacts');
    expect(listed.body.results.map((p: { name: string }) => p.name)).toContain('concord_tags');
    expect((await call('POST', '/crm/v3/properties/contacts', { name: 'email', label: 'E', type: 'string', fieldType: 'text', groupName: 'g' })).status).toBe(409);
  });

  it('accepts the date-based path form as well', async () => {
    const { call, seed } = await start();
    await seed('contacts', contacts(2));
    const r = await call('POST', '/crm/objects/2026-03/contacts/search', { limit: 1 });
    expect(r.status).toBe(200);
    expect(r.body.total).toBe(2);
  });
});

describe('HubSpot emulator: auth and limits', () => {
  it('answers 401 with the documented body for a missing or unknown token', async () => {
    const { call } = await start();
    for (const headers of [{}, { authorization: 'Bearer nope' }] as Array<Record<string, string>>) {
      const r = await call('GET', '/crm/v3/objects/contacts', undefined, headers);
      expect(r.status).toBe(401);
      expect(r.body).toMatchObject({ status: 'error', category: 'INVALID_AUTHENTICATION', correlationId: expect.any(String) });
      expect(r.body.message).toMatch(/^Authentication credentials not found/);
    }
  });

  it('refreshes OAuth tokens that expire after expires_in, and refuses a bad refresh token', async () => {
    const { e, call } = await start();
    const form = (extra: Record<string, string>) => new URLSearchParams({
      grant_type: 'refresh_token', client_id: e.credentials.clientId, client_secret: e.credentials.clientSecret, ...extra,
    }).toString();
    const post = (body: string) => fetch(`${e.url}/oauth/v1/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
    const bad = await post(form({ refresh_token: 'wrong' }));
    expect(bad.status).toBe(400);
    const res = await post(form({ refresh_token: e.credentials.refreshToken }));
    expect(res.status).toBe(200);
    const token = await res.json() as { access_token: string; refresh_token: string; expires_in: number; token_type: string };
    expect(token).toMatchObject({ token_type: 'bearer', expires_in: 1800, refresh_token: e.credentials.refreshToken });
    const bearer = { authorization: `Bearer ${token.access_token}` };
    expect((await call('GET', '/crm/v3/objects/contacts', undefined, bearer)).status).toBe(200);
    await call('POST', '/__emulator/clock', { advanceMs: 1801_000 }, { 'content-type': 'application/json' });
    const expired = await call('GET', '/crm/v3/objects/contacts', undefined, bearer);
    expect(expired.status).toBe(401);
    expect(expired.body.category).toBe('EXPIRED_AUTHENTICATION');
  });

  it('sends the rate-limit headers and a 429 with the documented body past the 10-second burst; the window rolls on', async () => {
    const { call } = await start({ limits: { burstPer10Seconds: 3 } });
    const statuses: number[] = [];
    let lastOk: Headers | undefined;
    for (let i = 0; i < 4; i++) {
      const r = await call('GET', '/crm/v3/objects/contacts');
      statuses.push(r.status);
      if (r.status === 200) lastOk = r.headers;
      if (r.status === 429) {
        expect(r.body).toMatchObject({ status: 'error', errorType: 'RATE_LIMIT', policyName: 'TEN_SECONDLY_ROLLING' });
        expect(r.headers.get('x-hubspot-ratelimit-remaining')).toBe('0');
      }
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
    expect(lastOk?.get('x-hubspot-ratelimit-max')).toBe('3');
    expect(lastOk?.get('x-hubspot-ratelimit-interval-milliseconds')).toBe('10000');
    expect(lastOk?.get('x-hubspot-ratelimit-daily')).toBe('250000');
    await call('POST', '/__emulator/clock', { advanceMs: 10_001 }, { 'content-type': 'application/json' });
    expect((await call('GET', '/crm/v3/objects/contacts')).status).toBe(200);
  });

  it('reports the day\'s use on the account-info usage endpoint', async () => {
    const { call } = await start();
    await call('GET', '/crm/v3/objects/contacts');
    const r = await call('GET', '/account-info/v3/api-usage/daily/private-apps');
    expect(r.body.results[0]).toMatchObject({ usageLimit: 250_000, currentUsage: 2, resetsAt: expect.any(String) });
  });

  it('limits search per token per second', async () => {
    const { call } = await start({ limits: { searchPerSecond: 2 } });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await call('POST', '/crm/v3/objects/contacts/search', {})).status);
    expect(statuses).toEqual([200, 200, 429]);
  });
});
