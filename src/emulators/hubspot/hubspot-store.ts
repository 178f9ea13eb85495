import type { HubSpotObjectType } from './hubspot-objects.js';

/** Where a change came from, as HubSpot names it in property history and in webhook `changeSource`. */
export type ChangeSource = 'CRM_UI' | 'INTEGRATION' | 'IMPORT';

export interface HistoryEntry { value: string; timestamp: string; sourceType: ChangeSource; sourceId?: string }

export interface HubSpotRecord {
  id: string;
  properties: Record<string, string>;
  /** Newest first, per property. */
  history: Record<string, HistoryEntry[]>;
  createdAt: string;
  updatedAt: string;
  archived: boolean;
  archivedAt?: string;
}

/** What a write changed, for the webhook events it causes. */
export interface RecordChange {
  type: HubSpotObjectType;
  record: HubSpotRecord;
  kind: 'creation' | 'propertyChange' | 'deletion' | 'restore';
  changed: Array<{ name: string; value: string }>;
  source: ChangeSource;
}

/**
 * Records of every object type, in memory. Ids grow from a start value per store; property values are
 * strings, as HubSpot returns them; an empty string clears a value (the property disappears).
 */
export class HubSpotStore {
  private readonly byType = new Map<string, Map<string, HubSpotRecord>>();
  /** Live records by lower-cased email, so uniqueness checks stay cheap with tens of thousands of contacts. */
  private readonly byEmail = new Map<string, Map<string, HubSpotRecord>>();
  private nextId: number;

  constructor(readonly types: readonly HubSpotObjectType[], private readonly firstId = 101) {
    this.nextId = firstId;
    for (const t of types) { this.byType.set(t.name, new Map()); this.byEmail.set(t.name, new Map()); }
  }

  reset(): void {
    for (const m of this.byType.values()) m.clear();
    for (const m of this.byEmail.values()) m.clear();
    this.nextId = this.firstId;
  }

  records(type: HubSpotObjectType): Map<string, HubSpotRecord> {
    const m = this.byType.get(type.name);
    if (!m) throw new Error(`unknown object type ${type.name}`);
    return m;
  }

  /** Live (or, with `archived`, archived) records in ascending numeric id order. */
  sorted(type: HubSpotObjectType, archived: boolean): HubSpotRecord[] {
    return [...this.records(type).values()].filter((r) => r.archived === archived)
      .sort((a, b) => Number(a.id) - Number(b.id));
  }

  get(type: HubSpotObjectType, id: string, archived = false): HubSpotRecord | undefined {
    const r = this.records(type).get(id);
    return r && r.archived === archived ? r : undefined;
  }

  findBy(type: HubSpotObjectType, property: string, value: string, archived = false): HubSpotRecord | undefined {
    if (property === 'hs_object_id') return this.get(type, value, archived);
    if (property === 'email' && !archived) return this.byEmail.get(type.name)?.get(value.toLowerCase());
    const wanted = property === 'email' ? value.toLowerCase() : value;
    for (const r of this.records(type).values()) {
      if (r.archived !== archived) continue;
      const v = r.properties[property];
      if (v !== undefined && (property === 'email' ? v.toLowerCase() : v) === wanted) return r;
    }
    return undefined;
  }

  create(type: HubSpotObjectType, properties: Record<string, string>, now: Date, source: ChangeSource): RecordChange {
    const id = String(this.nextId++);
    const at = now.toISOString();
    const record: HubSpotRecord = {
      id, properties: {}, history: {}, createdAt: at, updatedAt: at, archived: false,
    };
    const changed = this.apply(type, record, properties, at, source);
    this.stamp(type, record, at, source, true);
    this.records(type).set(id, record);
    return { type, record, kind: 'creation', changed, source };
  }

  update(type: HubSpotObjectType, record: HubSpotRecord, properties: Record<string, string>, now: Date, source: ChangeSource): RecordChange {
    const at = now.toISOString();
    const changed = this.apply(type, record, properties, at, source);
    if (changed.length > 0) this.stamp(type, record, at, source, false);
    return { type, record, kind: 'propertyChange', changed, source };
  }

  archive(type: HubSpotObjectType, record: HubSpotRecord, now: Date, source: ChangeSource): RecordChange {
    record.archived = true;
    const email = record.properties.email?.toLowerCase();
    if (email && this.byEmail.get(type.name)?.get(email) === record) this.byEmail.get(type.name)?.delete(email);
    record.archivedAt = now.toISOString();
    record.updatedAt = record.archivedAt;
    return { type, record, kind: 'deletion', changed: [], source };
  }

  private apply(type: HubSpotObjectType, record: HubSpotRecord, properties: Record<string, string>, at: string, source: ChangeSource) {
    const changed: Array<{ name: string; value: string }> = [];
    const emails = this.byEmail.get(type.name);
    for (const [name, value] of Object.entries(properties)) {
      const before = record.properties[name];
      if ((before ?? '') === value) continue;
      if (name === 'email' && emails) {
        if (before && emails.get(before.toLowerCase()) === record) emails.delete(before.toLowerCase());
        if (value !== '') emails.set(value.toLowerCase(), record);
      }
      if (value === '') delete record.properties[name];
      else record.properties[name] = value;
      (record.history[name] ??= []).unshift({ value, timestamp: at, sourceType: source });
      changed.push({ name, value });
    }
    return changed;
  }

  private stamp(type: HubSpotObjectType, record: HubSpotRecord, at: string, source: ChangeSource, created: boolean): void {
    record.updatedAt = at;
    const system: Record<string, string> = { [type.lastModifiedProperty]: at };
    if (created) Object.assign(system, { hs_object_id: record.id, createdate: at });
    for (const [name, value] of Object.entries(system)) {
      record.properties[name] = value;
      (record.history[name] ??= []).unshift({ value, timestamp: at, sourceType: source });
    }
  }
}

/** The public envelope: requested properties (null when unset) plus the ones HubSpot always returns. */
export function renderRecord(
  type: HubSpotObjectType,
  record: HubSpotRecord,
  properties: readonly string[] | undefined,
  withHistory: readonly string[] = [],
): Record<string, unknown> {
  const names = properties && properties.length > 0
    ? [...new Set([...properties, 'hs_object_id', 'createdate', type.lastModifiedProperty])]
    : type.defaultProperties;
  const props: Record<string, string | null> = {};
  for (const n of names) props[n] = record.properties[n] ?? null;
  const out: Record<string, unknown> = {
    id: record.id,
    properties: props,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    archived: record.archived,
  };
  if (record.archivedAt) out.archivedAt = record.archivedAt;
  if (withHistory.length > 0) {
    const history: Record<string, HistoryEntry[]> = {};
    for (const n of withHistory) history[n] = (record.history[n] ?? []).map((h) => ({ ...h }));
    out.propertiesWithHistory = history;
  }
  return out;
}
