import { createHash } from 'node:crypto';
import { startLoopbackServer, type Reply, type SeenRequest } from '../loopback-server.js';

/**
 * A small stand-in for the parts of Mailchimp's Marketing API the connector tests need, from the
 * documented wire format (members paging with count ≤ 1000, batch subscribe ≤ 500 with per-member
 * errors, member tags, DELETE = archive, Problem+JSON errors). Not the project's emulator.
 */
export interface StoredMember { email_address: string; status: string; merge_fields: Record<string, string>; tags: string[]; last_changed: string }

const hash = (email: string) => createHash('md5').update(email.toLowerCase()).digest('hex');
const problem = (status: number, title: string, detail: string): Reply =>
  ({ status, headers: { 'content-type': 'application/problem+json' }, json: { type: 'https://mailchimp.com/developer/marketing/docs/errors/', title, status, detail, instance: 'x' } });

export async function startMailchimpTestServer(listId = 'a6b5da1054') {
  const members = new Map<string, StoredMember>();
  let tick = Date.parse('2026-02-01T00:00:00Z');
  const stamp = () => new Date((tick += 1000)).toISOString().replace(/\.\d{3}Z$/, '+00:00');
  const view = (m: StoredMember) => ({
    id: hash(m.email_address), email_address: m.email_address, unique_email_id: hash(m.email_address).slice(0, 10), status: m.status,
    merge_fields: m.merge_fields, tags: m.tags.map((name, i) => ({ id: i + 1, name })), tags_count: m.tags.length, last_changed: m.last_changed, vip: false,
  });
  const state = { rateLimited: false, tagsDown: false };
  const auth = `Basic ${Buffer.from('concord:key-us21').toString('base64')}`;

  const handle = (req: SeenRequest): Reply => {
    if (req.headers.authorization !== auth) return problem(401, 'API Key Invalid', 'Your API key may be invalid.');
    // Too many simultaneous connections: 429 without rate-limit headers.
    if (state.rateLimited) return problem(429, 'Too Many Requests', 'You have exceeded the limit of 10 simultaneous connections.');
    if (req.path === '/3.0/ping') return { json: { health_status: "Everything's Chimpy!" } };
    const m = /^\/3\.0\/lists\/([^/]+)(?:\/members(?:\/([0-9a-f]{32})(\/tags)?)?)?$/.exec(req.path);
    if (!m || m[1] !== listId) return problem(404, 'Resource Not Found', 'The requested resource could not be found.');
    const body = req.json as Record<string, any>;
    if (!req.path.includes('/members')) {
      if (body.members.length > 500) return problem(400, 'Invalid Resource', 'members: at most 500');
      const out = { new_members: [] as unknown[], updated_members: [] as unknown[], errors: [] as unknown[] };
      for (const p of body.members) {
        if (!String(p.email_address).includes('@')) { out.errors.push({ email_address: p.email_address, error: 'Invalid email address', error_code: 'ERROR_GENERIC' }); continue; }
        const old = members.get(hash(p.email_address));
        if (old && old.status === 'unsubscribed' && p.status === 'subscribed') {
          out.errors.push({ email_address: p.email_address, error: `${p.email_address} is in a compliance state`, error_code: 'ERROR_CONTACT_EXISTS' });
          continue;
        }
        const next: StoredMember = { email_address: p.email_address, status: p.status, merge_fields: { ...old?.merge_fields, ...p.merge_fields }, tags: old?.tags ?? [], last_changed: stamp() };
        members.set(hash(p.email_address), next);
        (old ? out.updated_members : out.new_members).push(view(next));
      }
      return { json: { ...out, total_created: out.new_members.length, total_updated: out.updated_members.length, error_count: out.errors.length } };
    }
    if (!m[2]) {
      const count = Number(req.url.searchParams.get('count') ?? 10);
      if (count > 1000) return problem(400, 'Invalid Resource', 'count: must be at most 1000');
      const offset = Number(req.url.searchParams.get('offset') ?? 0);
      const since = req.url.searchParams.get('since_last_changed');
      // `status` filters when given; without it this server lists archived members too (the other reading of the docs).
      const status = req.url.searchParams.get('status');
      let rows = [...members.values()].filter((x) => (!since || Date.parse(x.last_changed) >= Date.parse(since)) && (!status || x.status === status));
      if (req.url.searchParams.get('sort_field') === 'last_changed') rows = rows.sort((a, b) => Date.parse(a.last_changed) - Date.parse(b.last_changed));
      return { json: { members: rows.slice(offset, offset + count).map(view), list_id: listId, total_items: rows.length } };
    }
    const member = members.get(m[2]);
    if (!member) return problem(404, 'Resource Not Found', 'The requested resource could not be found.');
    if (m[3]) {
      if (state.tagsDown) return problem(503, 'Service Unavailable', 'The tags service is down.');
      for (const t of body.tags) member.tags = t.status === 'active' ? [...new Set([...member.tags, t.name])] : member.tags.filter((x) => x !== t.name);
      member.last_changed = stamp();
      return { status: 204 };
    }
    if (req.method === 'GET') return { json: view(member) };
    if (req.method === 'DELETE') { member.status = 'archived'; member.last_changed = stamp(); return { status: 204 }; }
    if (req.method === 'PATCH') {
      if (body.status) member.status = body.status;
      if (body.merge_fields) member.merge_fields = { ...member.merge_fields, ...body.merge_fields };
      member.last_changed = stamp();
      return { json: view(member) };
    }
    return problem(405, 'Method Not Allowed', 'no');
  };

  const server = await startLoopbackServer(handle);
  return { ...server, listId, members, hash, state, add(m: Partial<StoredMember> & { email_address: string }) {
    const full: StoredMember = { status: 'subscribed', merge_fields: {}, tags: [], last_changed: stamp(), ...m };
    members.set(hash(full.email_address), full);
    return full;
  } };
}
