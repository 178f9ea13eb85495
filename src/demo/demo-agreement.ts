/**
 * After quiescence both sides must agree on every two-way field (DESIGN §7, convergence): for each link
 * of the pair, both records are read now through the connectors, the left value is converted by the
 * field's transform and compared with the right value. Empty values (absent, null, "", []) are alike.
 */
import { readRecords } from '../engine/process/process-items.js';
import { readField } from '../engine/process/record-fields.js';
import { sameValue } from '../engine/process/same-value.js';
import type { EngineSession } from '../engine/session/engine-session.js';

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
}

const isEmpty = (v: unknown) => v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);
const normalise = (v: unknown) => (Array.isArray(v) ? [...v].map(String).sort() : v);

export async function checkAgreement(session: EngineSession, pair: string): Promise<AgreementReport> {
  const deps = session.depsFor(pair);
  const links = await session.store.listLinks(pair);
  const twoWay = deps.mapping.fields.filter((f) => f.direction === 'both');
  const report: AgreementReport = { links: links.length, fieldsCompared: 0, disagreements: [] };
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
        // A value the transform cannot carry (a consent status outside the map) is reported by the engine, not synced.
        if (!converted.ok) continue;
        const same = (isEmpty(converted.value) && isEmpty(rv)) || sameValue(normalise(converted.value), normalise(rv));
        if (!same) report.disagreements.push({ linkId: link.id, field: field.id, left: lv, right: rv });
      }
    }
  }
  return report;
}
