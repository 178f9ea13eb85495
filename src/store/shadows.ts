import type { Selectable } from 'kysely';
import type { Db } from './database.js';
import { fromJsonText, toJsonText } from './json-text.js';
import { statementChunks } from './statement-rows.js';
import type { RecordShadowsTable, ShadowsTable } from './tables/links-tables.js';

/** The base of one field: the values both sides last agreed on (`undefined`: the field was absent). */
export interface FieldShadow {
  field: string;
  baseLeft: unknown;
  baseRight: unknown;
  leftVersion: string | null;
  rightVersion: string | null;
  leftChangedAt: string | null;
  rightChangedAt: string | null;
}

export interface RecordShadow {
  leftVersion: string | null;
  leftModifiedAt: string | null;
  rightVersion: string | null;
  rightModifiedAt: string | null;
}

export interface Shadow {
  linkId: string;
  /** Undefined before the first agreement. */
  record: RecordShadow | undefined;
  fields: Map<string, FieldShadow>;
}

/** Writes the new base of a link: the given fields are replaced, others kept. */
export async function saveShadow(
  trx: Db,
  linkId: string,
  shadow: { record?: RecordShadow; fields: readonly FieldShadow[] },
  now: Date,
): Promise<void> {
  const at = now.toISOString();
  if (shadow.record) {
    const r = shadow.record;
    const values = {
      link_id: linkId, left_version: r.leftVersion, left_modified_at: r.leftModifiedAt,
      right_version: r.rightVersion, right_modified_at: r.rightModifiedAt, updated_at: at,
    };
    await trx.insertInto('record_shadows').values(values)
      .onConflict((oc) => oc.column('link_id').doUpdateSet({
        left_version: values.left_version, left_modified_at: values.left_modified_at,
        right_version: values.right_version, right_modified_at: values.right_modified_at, updated_at: at,
      }))
      .execute();
  }
  for (let i = 0; i < shadow.fields.length; i += 200) {
    const rows = shadow.fields.slice(i, i + 200).map((f) => ({
      link_id: linkId, field: f.field, base_left: toJsonText(f.baseLeft), base_right: toJsonText(f.baseRight),
      left_version: f.leftVersion, right_version: f.rightVersion, left_changed_at: f.leftChangedAt,
      right_changed_at: f.rightChangedAt, updated_at: at,
    }));
    if (rows.length === 0) continue;
    await trx.insertInto('shadows').values(rows)
      .onConflict((oc) => oc.columns(['link_id', 'field']).doUpdateSet((eb) => ({
        base_left: eb.ref('excluded.base_left'), base_right: eb.ref('excluded.base_right'),
        left_version: eb.ref('excluded.left_version'), right_version: eb.ref('excluded.right_version'),
        left_changed_at: eb.ref('excluded.left_changed_at'), right_changed_at: eb.ref('excluded.right_changed_at'),
        updated_at: eb.ref('excluded.updated_at'),
      })))
      .execute();
  }
}

/** Values per row in an insert: shadows have 9 columns, record shadows 6. */
const SHADOW_COLUMNS = 9;
const RECORD_SHADOW_COLUMNS = 6;

/**
 * Writes the whole new base of many links: each link's record shadow and exactly the given fields, its other field
 * rows deleted. Whatever the count, one read of the field names the links have (none for links marked `newLink`,
 * made in the same transaction) and one upsert per table (more only past a statement's parameter limit).
 */
export async function replaceShadows(
  trx: Db,
  shadows: ReadonlyArray<{ linkId: string; record: RecordShadow; fields: readonly FieldShadow[]; newLink?: boolean }>,
  now: Date,
): Promise<void> {
  if (shadows.length === 0) return;
  const at = now.toISOString();
  const latest = new Map(shadows.map((s) => [s.linkId, s]));
  // A link made in this transaction has no field rows yet: nothing to read for it.
  const ids = [...latest.values()].filter((s) => !s.newLink).map((s) => s.linkId);
  const stale = new Map<string, string[]>();
  for (let i = 0; i < ids.length; i += 500) {
    const held = await trx.selectFrom('shadows').select(['link_id', 'field']).where('link_id', 'in', ids.slice(i, i + 500)).execute();
    for (const h of held) {
      if (latest.get(h.link_id)!.fields.some((f) => f.field === h.field)) continue;
      stale.set(h.link_id, [...(stale.get(h.link_id) ?? []), h.field]);
    }
  }
  // A base rarely drops fields (a mapping changed): a statement per link that does.
  for (const [linkId, fields] of stale) await deleteShadowFields(trx, linkId, fields);
  const records = [...latest.values()].map(({ linkId, record: r }) => ({
    link_id: linkId, left_version: r.leftVersion, left_modified_at: r.leftModifiedAt,
    right_version: r.rightVersion, right_modified_at: r.rightModifiedAt, updated_at: at,
  }));
  for (const chunk of statementChunks(trx, records, RECORD_SHADOW_COLUMNS)) {
    await trx.insertInto('record_shadows').values(chunk)
      .onConflict((oc) => oc.column('link_id').doUpdateSet((eb) => ({
        left_version: eb.ref('excluded.left_version'), left_modified_at: eb.ref('excluded.left_modified_at'),
        right_version: eb.ref('excluded.right_version'), right_modified_at: eb.ref('excluded.right_modified_at'),
        updated_at: eb.ref('excluded.updated_at'),
      })))
      .execute();
  }
  const fields = [...latest.values()].flatMap(({ linkId, fields: fs }) => fs.map((f) => ({
    link_id: linkId, field: f.field, base_left: toJsonText(f.baseLeft), base_right: toJsonText(f.baseRight),
    left_version: f.leftVersion, right_version: f.rightVersion, left_changed_at: f.leftChangedAt,
    right_changed_at: f.rightChangedAt, updated_at: at,
  })));
  for (const chunk of statementChunks(trx, fields, SHADOW_COLUMNS)) {
    await trx.insertInto('shadows').values(chunk)
      .onConflict((oc) => oc.columns(['link_id', 'field']).doUpdateSet((eb) => ({
        base_left: eb.ref('excluded.base_left'), base_right: eb.ref('excluded.base_right'),
        left_version: eb.ref('excluded.left_version'), right_version: eb.ref('excluded.right_version'),
        left_changed_at: eb.ref('excluded.left_changed_at'), right_changed_at: eb.ref('excluded.right_changed_at'),
        updated_at: eb.ref('excluded.updated_at'),
      })))
      .execute();
  }
}

export async function loadShadow(db: Db, linkId: string): Promise<Shadow> {
  return (await loadShadows(db, [linkId])).get(linkId) ?? { linkId, record: undefined, fields: new Map() };
}

/** Shadows of many links at once; every asked id is in the map, empty when it has no base yet. */
export async function loadShadows(db: Db, linkIds: readonly string[]): Promise<Map<string, Shadow>> {
  const out = new Map<string, Shadow>();
  for (const id of linkIds) out.set(id, { linkId: id, record: undefined, fields: new Map() });
  for (let i = 0; i < linkIds.length; i += 500) {
    const chunk = linkIds.slice(i, i + 500);
    if (chunk.length === 0) continue;
    const records = await db.selectFrom('record_shadows').selectAll().where('link_id', 'in', chunk).execute();
    for (const r of records) out.get(r.link_id)!.record = toRecordShadow(r);
    const fields = await db.selectFrom('shadows').selectAll().where('link_id', 'in', chunk).execute();
    for (const f of fields) out.get(f.link_id)!.fields.set(f.field, toFieldShadow(f));
  }
  return out;
}

/** Forgets the base of fields no longer mapped. */
export async function deleteShadowFields(trx: Db, linkId: string, fields: readonly string[]): Promise<void> {
  if (fields.length === 0) return;
  await trx.deleteFrom('shadows').where('link_id', '=', linkId).where('field', 'in', fields).execute();
}

function toRecordShadow(r: Selectable<RecordShadowsTable>): RecordShadow {
  return {
    leftVersion: r.left_version, leftModifiedAt: r.left_modified_at,
    rightVersion: r.right_version, rightModifiedAt: r.right_modified_at,
  };
}

function toFieldShadow(f: Selectable<ShadowsTable>): FieldShadow {
  return {
    field: f.field, baseLeft: fromJsonText(f.base_left), baseRight: fromJsonText(f.base_right),
    leftVersion: f.left_version, rightVersion: f.right_version,
    leftChangedAt: f.left_changed_at, rightChangedAt: f.right_changed_at,
  };
}
