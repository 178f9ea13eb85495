import { createHash } from 'node:crypto';
import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { startMailchimpEmulator, type RunningMailchimpEmulator } from '../../../src/emulators/mailchimp/mailchimp-emulator.js';

let emulator: RunningMailchimpEmulator | undefined;
afterEach(async () => { await emulator?.close(); emulator = undefined; });

const md5 = (email: string) => createHash('md5').update(email.toLowerCase()).digest('hex');
const basic = (key: string) => ({ authorization: `Basic ${Buffer.from(`anystring:${key}`).toString('base64')}`, 'content-type': 'application/json' });

async function start(options: Parameters<typeof startMailchimpEmulator>[0] = {}) {
  emulator = await startMailchimpEmulator({ seed: 'test', ...options });
  const e = emulator;
  const list = `/3.0/lists/${e.credentials.listId}`;
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = basic(e.credentials.apiKey)) => {
    const res = await fetch(`${e.url}${path}`, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
  };
  const seed = async (records: unknown[]) => {
    const r = await call('POST', '/__emulator/records/members', records, { 'content-type': 'application/json' });
    expect(r.status).toBe(201);
  };
  return { e, list, call, seed };
}

const members = (n: number) => Array.from({ length: n }, (_, i) => ({ email_address: `m${i}@example.com`, merge_fields: { FNAME: `M${i}` } }));

describe('Mailchimp emulator: members', () => {
  it('pages through every member with count and offset; total_items counts all', async () => {
    const { list, call, seed } = await start();
    await seed(members(25));
    const seen: string[] = [];
    for (let offset = 0; ; offset += 10) {
      const r = await call('GET', `${list}/members?count=10&offset=${offset}`);
      expect(r.status).toBe(200);
      expect(r.body.total_items).toBe(25);
      if (r.body.members.length === 0) break;
      seen.push(...r.body.members.map((m: { email_address: string }) => m.email_address));
    }
    expect(seen).toEqual(members(25).map((m) => m.email_address));
  });

  it('caps count at 1000', async () => {
    const { list, call, seed } = await start();
    await seed(members(1001));
    const r = await call('GET', `${list}/members?count=5000`);
    expect(r.body.members).toHaveLength(1000);
    expect(r.body.total_items).toBe(1001);
  });

  it('since_last_changed returns only members changed at or after the instant, to the second', async () => {
    const { e, list, call, seed } = await start();
    await seed(members(3));
    await call('POST', '/__emulator/clock', { advanceMs: 60_000 }, { 'content-type': 'application/json' });
    const cutoff = (await call('GET', '/__emulator/clock', undefined, {})).body.now as string;
    await call('PATCH', `${list}/members/${md5('m1@example.com')}`, { merge_fields: { FNAME: 'Changed' } });
    const r = await call('GET', `${list}/members?since_last_changed=${encodeURIComponent(cutoff)}`);
    expect(r.body.members.map((m: { email_address: string }) => m.email_address)).toEqual(['m1@example.com']);
    expect(r.body.members[0].last_changed).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$/);
    expect(e.credentials.dc).toBe('us14');
  });

  it('PUT upserts by subscriber hash: status_if_new on create, status on update, merge fields kept', async () => {
    const { list, call } = await start();
    const hash = md5('Jane@Example.com');
    const created = await call('PUT', `${list}/members/${hash}`, { email_address: 'Jane@Example.com', status_if_new: 'subscribed', merge_fields: { FNAME: 'Jane' } });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ id: hash, status: 'subscribed', merge_fields: { FNAME: 'Jane' }, list_id: expect.any(String) });
    const updated = await call('PUT', `${list}/members/${hash}`, { email_address: 'jane@example.com', status_if_new: 'subscribed', status: 'unsubscribed' });
    expect(updated.body).toMatchObject({ id: hash, status: 'unsubscribed', merge_fields: { FNAME: 'Jane' } });
  });

  it('refuses to re-subscribe an unsubscribed member through the API (compliance state)', async () => {
    const { list, call, seed } = await start();
    await seed([{ email_address: 'gone@example.com', status: 'unsubscribed' }]);
    const r = await call('PATCH', `${list}/members/${md5('gone@example.com')}`, { status: 'subscribed' });
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ title: 'Member In Compliance State', status: 400 });
  });

  it('POST creates only; a second POST is "Member Exists" in problem JSON', async () => {
    const { list, call } = await start();
    expect((await call('POST', `${list}/members`, { email_address: 'p@example.com', status: 'subscribed' })).status).toBe(200);
    const again = await call('POST', `${list}/members`, { email_address: 'p@example.com', status: 'subscribed' });
    expect(again.status).toBe(400);
    expect(again.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(again.body).toEqual({
      type: 'https://mailchimp.com/developer/marketing/docs/errors/', title: 'Member Exists', status: 400,
      detail: expect.stringContaining('p@example.com is already a list member'), instance: expect.any(String),
    });
  });

  it('DELETE archives (listed only with status=archived); delete-permanent erases and forbids re-import', async () => {
    const { list, call, seed } = await start();
    await seed(members(2));
    expect((await call('DELETE', `${list}/members/${md5('m0@example.com')}`)).status).toBe(204);
    expect((await call('GET', `${list}/members`)).body.members.map((m: { email_address: string }) => m.email_address)).toEqual(['m1@example.com']);
    expect((await call('GET', `${list}/members?status=archived`)).body.members[0]).toMatchObject({ email_address: 'm0@example.com', status: 'archived' });
    expect((await call('POST', `${list}/members/${md5('m1@example.com')}/actions/delete-permanent`)).status).toBe(204);
    expect((await call('GET', `${list}/members/${md5('m1@example.com')}`)).status).toBe(404);
    const back = await call('PUT', `${list}/members/${md5('m1@example.com')}`, { email_address: 'm1@example.com', status_if_new: 'subscribed' });
    expect(back.status).toBe(400);
    expect(back.body.title).toBe('Forgotten Email Not Subscribed');
  });

  it('tags are added and removed by name (204) and move last_changed', async () => {
    const { list, call, seed } = await start();
    await seed(members(1));
    const path = `${list}/members/${md5('m0@example.com')}`;
    const before = (await call('GET', path)).body.last_changed;
    await call('POST', '/__emulator/clock', { advanceMs: 2000 }, { 'content-type': 'application/json' });
    const r = await call('POST', `${path}/tags`, { tags: [{ name: 'VIP', status: 'active' }, { name: 'Old', status: 'active' }] });
    expect(r.status).toBe(204);
    await call('POST', `${path}/tags`, { tags: [{ name: 'Old', status: 'inactive' }] });
    const m = (await call('GET', path)).body;
    expect(m.tags.map((t: { name: string }) => t.name)).toEqual(['VIP']);
    expect(m.tags_count).toBe(1);
    expect(m.last_changed > before).toBe(true);
  });

  it('merge fields: the defaults are listed and new ones can be created', async () => {
    const { list, call } = await start();
    const created = await call('POST', `${list}/merge-fields`, { tag: 'COMPANY', name: 'Company', type: 'text' });
    expect(created.status).toBe(200);
    const all = await call('GET', `${list}/merge-fields`);
    expect(all.body.merge_fields.map((f: { tag: string }) => f.tag)).toEqual(['FNAME', 'LNAME', 'ADDRESS', 'PHONE', 'BIRTHDAY', 'COMPANY']);
  });
});

describe('Mailchimp emulator: batch subscribe', () => {
  it('reports new, updated and failed members in one 200 answer', async () => {
    const { list, call, seed } = await start();
    await seed([{ email_address: 'old@example.com' }]);
    const r = await call('POST', list, { update_existing: true, members: [
      { email_address: 'new@example.com', status: 'subscribed' },
      { email_address: 'old@example.com', status: 'subscribed', merge_fields: { LNAME: 'Old' } },
      { email_address: 'not-an-email', status: 'subscribed' },
    ] });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ total_created: 1, total_updated: 1, error_count: 1 });
    expect(r.body.new_members[0].email_address).toBe('new@example.com');
    expect(r.body.updated_members[0].merge_fields.LNAME).toBe('Old');
    expect(r.body.errors[0]).toMatchObject({ email_address: 'not-an-email', error: expect.any(String), error_code: expect.any(String) });
  });

  it('without update_existing an existing member is an error, not an update', async () => {
    const { list, call, seed } = await start();
    await seed([{ email_address: 'old@example.com' }]);
    const r = await call('POST', list, { members: [{ email_address: 'old@example.com', status: 'unsubscribed' }] });
    expect(r.body).toMatchObject({ total_updated: 0, error_count: 1 });
    expect(r.body.errors[0].error_code).toBe('ERROR_CONTACT_EXISTS');
  });

  it('refuses more than 500 members in one call', async () => {
    const { list, call } = await start();
    const r = await call('POST', list, { members: members(501).map((m) => ({ ...m, status: 'subscribed' })) });
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ title: 'Invalid Resource', status: 400 });
    expect((await call('GET', `${list}/members`)).body.total_items).toBe(0);
  });
});

describe('Mailchimp emulator: auth and connection limit', () => {
  it('accepts the key on its own data centre and answers ping', async () => {
    const { call } = await start();
    const r = await call('GET', '/3.0/ping');
    expect(r).toMatchObject({ status: 200, body: { health_status: "Everything's Chimpy!" } });
  });

  it('answers 401 problem JSON for a missing key, an unknown key and a key of another data centre', async () => {
    const { e, call } = await start();
    const missing = await call('GET', '/3.0/ping', undefined, {});
    expect(missing.body).toMatchObject({ status: 401, title: 'API Key Missing' });
    const otherDc = e.credentials.apiKey.replace(/-us14$/, '-us6');
    for (const key of ['0123456789abcdef0123456789abcdef-us14', otherDc]) {
      const r = await call('GET', '/3.0/ping', undefined, basic(key));
      expect(r.status).toBe(401);
      expect(r.body).toMatchObject({ title: 'API Key Invalid', type: 'https://mailchimp.com/developer/marketing/docs/errors/' });
    }
    // fetch cannot set Host; node:http can. A us14 key sent to the us6 host is the wrong data centre.
    const viaHost = await new Promise<number>((resolve, reject) => {
      request(`${e.url}/3.0/ping`, { headers: { ...basic(e.credentials.apiKey), host: 'us6.api.mailchimp.com' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      }).on('error', reject).end();
    });
    expect(viaHost).toBe(401);
  });

  it('answers 429 to the 11th simultaneous connection', async () => {
    const { e, call } = await start();
    await call('POST', '/__emulator/faults', { route: 'GET /3.0/ping', kind: 'hang', count: 10 }, { 'content-type': 'application/json' });
    const controller = new AbortController();
    const hung = Array.from({ length: 10 }, () => fetch(`${e.url}/3.0/ping`, { headers: basic(e.credentials.apiKey), signal: controller.signal }).catch(() => 'aborted'));
    // Wait until the emulator has all ten in hand (the admin API counts them).
    for (;;) {
      const counts = (await call('GET', '/__emulator/requests', undefined, {})).body.counts;
      if ((counts['GET /3.0/ping'] ?? 0) >= 10) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    const eleventh = await call('GET', '/3.0/ping');
    expect(eleventh.status).toBe(429);
    expect(eleventh.body).toMatchObject({ title: 'Too Many Requests', status: 429 });
    controller.abort();
    expect(await Promise.all(hung)).toEqual(Array(10).fill('aborted'));
  });
});
