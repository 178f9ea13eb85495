/**
 * After quiescence both sides must agree on every two-way field (DESIGN §7, convergence): for each link
 * of the pair, both records are read now through the connectors, the left value is converted by the
 * field's transform and compared with the right value. Empty values (absent, null, "", []) are alike.
 * A value the transform cannot carry is neither agreement nor disagreement: it is counted and shown apart.
 */
import { readRecords } from '../engine/process/process-items.js';
import { readField } from '../engine/process/record-fields.js';
import { sameValue } from '../engine/process/same-value.js';
import type { EngineSession } from '../engine/session/engine-session.js';
import type { DemoEmulators } from './demo-emulators.js';

export interface Disagreement {
  linkId: string;
  field: string;
  left: unknown;
  right: unknown;
}

export interface AgreementReport {
  links: number;
  fieldsCompared: number;
  disagreements: Disagreement[];
  /** Left values outside the field's transform (a consent status outside the map): the engine reports these for the record. */
  notCarried: Disagreement[];
}

const isEmpty = (v: unknown) => v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);
const normalise = (v: unknown) => (Array.isArray(v) ? [...v].map(String).sort() : v);

export async function checkAgreement(session: EngineSession, pair: string): Promise<AgreementReport> {
  const deps = session.depsFor(pair);
  const links = await session.store.listLinks(pair);
  const twoWay = deps.mapping.fields.filter((f) => f.direction === 'both');
  const report: AgreementReport = { links: links.length, fieldsCompared: 0, disagreements: [], notCarried: [] };
  const noLookups = { lookup: () => undefined };
  for (let i = 0; i < links.length; i += 100) {
    const part = links.slice(i, i + 100);
    const [left, right] = await Promise.all([
      readRecords(deps, 'left', part.map((l) => l.leftId)),
      readRecords(deps, 'right', part.map((l) => l.rightId)),
    ]);
    for (const link of part) {
      const l = left.get(link.leftId);
      const r = right.get(link.rightId);
      if (!l || !r || l.deleted || r.deleted) continue;
      for (const field of twoWay) {
        report.fieldsCompared += 1;
        const lv = readField(l.fields, field.left);
        const rv = readField(r.fields, field.right);
        if (isEmpty(lv) && isEmpty(rv)) continue;
        const converted = isEmpty(lv) ? { ok: true as const, value: lv } : await field.transform.toRight(lv, noLookups);
        // A value the transform cannot carry is reported by the engine, not synced: shown apart, not hidden.
        if (!converted.ok) { report.notCarried.push({ linkId: link.id, field: field.id, left: lv, right: rv }); continue; }
        const same = (isEmpty(converted.value) && isEmpty(rv)) || sameValue(normalise(converted.value), normalise(rv));
        if (!same) report.disagreements.push({ linkId: link.id, field: field.id, left: lv, right: rv });
      }
    }
  }
  return report;
}

/**
 * Opt-outs as each product shows them to its users, for the people on both sides (every HubSpot contact has a
 * Mailchimp member once synced): the two counts match when consent converged. Members only Mailchimp has are
 * counted apart, since Concord creates no HubSpot contact for them.
 */
export async function countOptOuts(emulators: DemoEmulators): Promise<{ hubspot: number; mailchimp: number; mailchimpOnly: number }> {
  const [hs, mc] = await Promise.all([emulators.admin('hubspot', 'GET', 'records/contacts'), emulators.admin('mailchimp', 'GET', 'records/members')]);
  const contacts = (hs.body as { result?: Array<{ archived?: boolean; properties: Record<string, unknown> }> }).result ?? [];
  const members = (mc.body as { result?: Array<{ email_address?: string; status?: string }> }).result ?? [];
  const live = contacts.filter((c) => c.archived !== true);
  const inHubspot = new Set(live.map((c) => String(c.properties.email ?? '').toLowerCase()));
  const unsubscribed = members.filter((m) => m.status === 'unsubscribed');
  const shared = unsubscribed.filter((m) => inHubspot.has(String(m.email_address ?? '').toLowerCase())).length;
  return {
    hubspot: live.filter((c) => c.properties.hs_email_optout === 'true').length,
    mailchimp: shared,
    mailchimpOnly: unsubscribed.length - shared,
  };
}
