/**
 * What must hold once a scenario has quiesced (DESIGN §7), read from the two systems (emulators' admin API) and the
 * store, never from the daemon's own account of itself:
 * - divergence: linked live records agree on every mapped field; a record deleted on one side is gone on the other;
 *   a live HubSpot contact in the filter has a linked Mailchimp member;
 * - duplicate: no remote record in two links, no two live records with one email, no two applied creates for one
 *   email;
 * - unjournaled: every mapped value on either side was set by a person (the run's edit log) or by a journaled write;
 * - unaudited: every applied write has its audit rows; unresolved: no journal row is left as an intent;
 * - audit-chain: the hash chain verifies.
 */
import { verifyAuditChain } from '../../src/store/audit-verify.js';
import type { StoreDatabase } from '../../src/store/database.js';
import { listJournal, type JournalEntry } from '../../src/store/journal.js';
import { listLinks, type Link } from '../../src/store/links.js';
import type { ChaosWorld, System } from './chaos-world.js';
import { hubspotValues, mailchimpValues, normalizeEmail, pairFields, type CanonicalField, type HubSpotRaw, type MailchimpRaw } from './pair-fields.js';
import { lifecycleStages } from './scenario-generator.js';
import type { UserEdit } from './scenario-runner.js';

export type FindingKind = 'divergence' | 'duplicate' | 'unjournaled' | 'unaudited' | 'unresolved' | 'audit-chain' | 'not-restored' | 'not-quiescent' | 'not-kept';
export interface Finding { kind: FindingKind; detail: string }

export interface Snapshot {
  hubspot: HubSpotRaw[];
  mailchimp: MailchimpRaw[];
  links: Link[];
  journal: JournalEntry[];
}

export const pairName = 'crm-marketing-contacts';

export async function takeSnapshot(world: ChaosWorld, store: StoreDatabase): Promise<Snapshot> {
  const hs = await world.admin('hubspot', 'GET', 'records/contacts');
  const mc = await world.admin('mailchimp', 'GET', 'records/members');
  const links: Link[] = [];
  for (;;) {
    const page = await listLinks(store.db, pairName, { limit: 500, ...(links.length ? { after: links[links.length - 1]!.id } : {}) });
    links.push(...page);
    if (page.length < 500) break;
  }
  return {
    hubspot: (hs.body as { result: HubSpotRaw[] }).result,
    mailchimp: (mc.body as { result: MailchimpRaw[] }).result,
    links,
    journal: await listJournal(store.db, { pair: pairName }),
  };
}

const hubspotLive = (r: HubSpotRaw) => !r.archived;
const mailchimpLive = (m: MailchimpRaw) => m.status !== 'archived';

/** Canonical values a journal row sets (its `after.fields`), through the same reading as the records. */
export function journalValues(entry: JournalEntry): Partial<Record<CanonicalField, string>> {
  const fields = ((entry.after as { fields?: Record<string, unknown> } | undefined)?.fields) ?? {};
  return canonicalOf(entry.system as System, fields);
}

export function canonicalOf(system: System, fields: Record<string, unknown>): Partial<Record<CanonicalField, string>> {
  const out: Partial<Record<CanonicalField, string>> = {};
  if (system === 'hubspot') {
    const props: Record<string, string> = {};
    for (const [k, v] of Object.entries(fields)) props[k] = Array.isArray(v) ? v.join(';') : v === null || v === undefined ? '' : String(v);
    const all = hubspotValues({ id: '', properties: props, archived: false });
    for (const f of pairFields) if (f.hubspot in fields) out[f.field] = all[f.field];
    return out;
  }
  const mf = (fields.merge_fields ?? {}) as Record<string, string>;
  const tags = Array.isArray(fields.tags) ? (fields.tags as unknown[]).map((t) => ({ name: typeof t === 'string' ? t : String((t as { name: string }).name) })) : [];
  const all = mailchimpValues({ id: '', email_address: '', status: String(fields.status ?? ''), merge_fields: mf, tags });
  for (const f of pairFields) {
    const [top, sub] = f.mailchimp.split('.');
    if (sub ? top! in fields && sub in mf : top! in fields) out[f.field] = all[f.field];
  }
  return out;
}

function checkDuplicates(s: Snapshot, findings: Finding[]): void {
  for (const side of ['left_id', 'right_id'] as const) {
    const seen = new Map<string, string>();
    for (const l of s.links) {
      const other = seen.get(l[side === 'left_id' ? 'leftId' : 'rightId']);
      if (other) findings.push({ kind: 'duplicate', detail: `${side === 'left_id' ? 'hubspot' : 'mailchimp'} record ${l[side === 'left_id' ? 'leftId' : 'rightId']} is in two links (${other}, ${l.id})` });
      seen.set(l[side === 'left_id' ? 'leftId' : 'rightId'], l.id);
    }
  }
  const byEmail = (system: System, emails: string[]) => {
    const counts = new Map<string, number>();
    for (const e of emails) counts.set(normalizeEmail(e), (counts.get(normalizeEmail(e)) ?? 0) + 1);
    for (const [e, n] of counts) if (n > 1) findings.push({ kind: 'duplicate', detail: `${system}: ${n} live records with email ${e}` });
  };
  byEmail('hubspot', s.hubspot.filter(hubspotLive).map((r) => r.properties.email ?? ''));
  byEmail('mailchimp', s.mailchimp.filter(mailchimpLive).map((m) => m.email_address));
  const creates = new Map<string, number>();
  for (const j of s.journal) {
    if (j.op !== 'create' || j.state !== 'applied') continue;
    const after = j.after as { fields?: Record<string, unknown>; matchKey?: { value?: string } | null } | undefined;
    const email = String(after?.matchKey?.value ?? after?.fields?.email_address ?? after?.fields?.email ?? j.remoteId);
    const k = `${j.system}:${normalizeEmail(email)}`;
    creates.set(k, (creates.get(k) ?? 0) + 1);
  }
  for (const [k, n] of creates) if (n > 1) findings.push({ kind: 'duplicate', detail: `${n} applied creates for ${k}` });
  // A write made twice from the same read (same version before, same values): two workers on one record.
  const writes = new Map<string, string>();
  for (const j of s.journal) {
    if (j.op !== 'update' || j.state !== 'applied' || !j.versionBefore || (j.after as { undoes?: string } | undefined)?.undoes) continue;
    const k = `${j.system}:${j.remoteId}:${j.versionBefore}:${JSON.stringify((j.after as { fields?: unknown } | undefined)?.fields ?? {})}`;
    const first = writes.get(k);
    if (first) findings.push({ kind: 'duplicate', detail: `${j.system} ${j.remoteId}: journal ${first} and ${j.id} made the same write from the same version ${j.versionBefore}` });
    else writes.set(k, j.id);
  }
}

function checkConvergence(s: Snapshot, findings: Finding[]): void {
  const hs = new Map(s.hubspot.map((r) => [r.id, r]));
  const mc = new Map(s.mailchimp.map((m) => [m.id, m]));
  const linkedLeft = new Set(s.links.map((l) => l.leftId as string));
  for (const l of s.links) {
    const left = hs.get(l.leftId);
    const right = mc.get(l.rightId);
    const leftLive = left !== undefined && hubspotLive(left);
    const rightLive = right !== undefined && mailchimpLive(right);
    if (leftLive !== rightLive) {
      findings.push({ kind: 'divergence', detail: `link ${l.id}: hubspot ${l.leftId} is ${leftLive ? 'live' : 'deleted'} but mailchimp ${l.rightId} is ${rightLive ? 'live' : 'deleted'} (delete: archive)` });
      continue;
    }
    if (!leftLive || !left || !right) continue;
    const a = hubspotValues(left);
    const b = mailchimpValues(right);
    for (const f of pairFields) {
      if (f.field === 'optout' && b.optout !== 'true' && b.optout !== 'false') continue;
      // HubSpot lets no integration undo an opt-out of all email (only the contact can opt back in), so a resubscribe
      // in Mailchimp cannot reach HubSpot; the mapping file says so. Any other opt-out difference is a divergence.
      if (f.field === 'optout' && a.optout === 'true' && b.optout === 'false') continue;
      if (a[f.field] !== b[f.field]) {
        findings.push({ kind: 'divergence', detail: `link ${l.id} (${right.email_address}): ${f.field} (${f.strategy}) is "${a[f.field]}" on hubspot ${l.leftId} but "${b[f.field]}" on mailchimp ${l.rightId}` });
      }
    }
  }
  for (const r of s.hubspot) {
    if (!hubspotLive(r) || linkedLeft.has(r.id)) continue;
    if (!(lifecycleStages as readonly string[]).includes(r.properties.lifecyclestage ?? '')) continue;
    findings.push({ kind: 'divergence', detail: `hubspot ${r.id} (${r.properties.email}) is live and in the filter but has no link (create: to_right)` });
  }
}

function checkExplained(s: Snapshot, edits: readonly UserEdit[], findings: Finding[]): void {
  const explained = new Map<string, Set<string>>();
  const add = (system: string, key: string, field: string, value: string) => {
    const k = `${system}\u0000${key}\u0000${field}`;
    let set = explained.get(k);
    if (!set) explained.set(k, (set = new Set()));
    set.add(value);
  };
  for (const e of edits) for (const [f, v] of Object.entries(e.values)) add(e.system, e.email, f, v);
  const emailOf = new Map<string, string>();
  for (const r of s.hubspot) emailOf.set(`hubspot\u0000${r.id}`, normalizeEmail(r.properties.email ?? ''));
  for (const m of s.mailchimp) emailOf.set(`mailchimp\u0000${m.id}`, normalizeEmail(m.email_address));
  for (const j of s.journal) {
    if (j.state === 'intent' || j.state === 'failed' || !j.remoteId) continue;
    const email = emailOf.get(`${j.system}\u0000${j.remoteId}`);
    if (!email) continue;
    for (const [f, v] of Object.entries(journalValues(j))) add(j.system, email, f, v);
  }
  const check = (system: System, id: string, email: string, values: Record<CanonicalField, string>) => {
    for (const f of pairFields) {
      const v = values[f.field];
      if (v === '' || (f.field === 'optout' && v === 'false')) continue; // never set: the empty default
      if (f.field === 'optout' && v !== 'true') continue;
      if (explained.get(`${system}\u0000${email}\u0000${f.field}`)?.has(v)) continue;
      findings.push({ kind: 'unjournaled', detail: `${system} ${id} (${email}): ${f.field} = "${v}" was set by no user edit and no journaled write` });
    }
  };
  for (const r of s.hubspot) if (hubspotLive(r)) check('hubspot', r.id, normalizeEmail(r.properties.email ?? ''), hubspotValues(r));
  for (const m of s.mailchimp) if (mailchimpLive(m)) check('mailchimp', m.id, normalizeEmail(m.email_address), mailchimpValues(m));
}

async function checkJournalAndAudit(store: StoreDatabase, s: Snapshot, findings: Finding[]): Promise<void> {
  for (const j of s.journal) {
    if (j.state === 'intent') findings.push({ kind: 'unresolved', detail: `journal ${j.id} (${j.op} ${j.system} ${j.remoteId ?? 'new'}) is still an intent` });
  }
  const audited = new Set((await store.db.selectFrom('audit').select('journal_id').where('pair', '=', pairName).execute()).map((r) => r.journal_id));
  for (const j of s.journal) {
    if (j.state !== 'applied') continue;
    if (j.op === 'update' && Object.keys(journalValues(j)).length === 0) continue;
    if (!audited.has(j.id)) findings.push({ kind: 'unaudited', detail: `journal ${j.id} (${j.op} ${j.system} ${j.remoteId}) was applied but has no audit row` });
  }
  const chain = await verifyAuditChain(store.db);
  if (!chain.ok) findings.push({ kind: 'audit-chain', detail: chain.message });
}

export async function checkWorld(world: ChaosWorld, store: StoreDatabase, edits: readonly UserEdit[]): Promise<{ snapshot: Snapshot; findings: Finding[] }> {
  const snapshot = await takeSnapshot(world, store);
  const findings: Finding[] = [];
  checkDuplicates(snapshot, findings);
  checkConvergence(snapshot, findings);
  checkExplained(snapshot, edits, findings);
  await checkJournalAndAudit(store, snapshot, findings);
  return { snapshot, findings };
}
