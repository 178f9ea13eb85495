/**
 * What one sync pass learned from listing both sides, kept for the whole pass so the engine need not ask again:
 * a record the listing returned is as fresh as a `get` made at that moment, so it serves as the engine's first
 * read of it until Concord writes that record. A listing that started from the beginning holds every record the
 * side had then, so identity matching can look keys up in it instead of calling `find` per key; keys Concord
 * itself created or changed on a side in this pass are not in the listing and go to `find` as before.
 */
import type { RemoteRecord } from '../../connectors/contract.js';
import type { CompiledMapping, Side } from '../../mapping/compiled-types.js';
import type { RemoteId } from '../../shared/ids.js';
import type { ItemResult } from './execute-plans.js';
import { readField } from './record-fields.js';

export interface ListedRecords {
  /** Records listed in this pass that Concord has not written since, by side and id. */
  records: Record<Side, Map<RemoteId, RemoteRecord>>;
  /** Sides whose listing in this pass started from the beginning (no stored cursor) and reached its last page. */
  complete: Record<Side, boolean>;
  /** The listed records (deleted ones left out) by match key `<rule index>:<normalised key>`, as listed. */
  byKey: Record<Side, Map<string, RemoteRecord[]>>;
  /** Match keys that Concord's writes in this pass created, moved or removed on each side. */
  touchedKeys: Record<Side, Set<string>>;
}

export function createListedRecords(): ListedRecords {
  return {
    records: { left: new Map(), right: new Map() },
    complete: { left: false, right: false },
    byKey: { left: new Map(), right: new Map() },
    touchedKeys: { left: new Set(), right: new Set() },
  };
}

/** The match key of `fields` under each rule of the mapping, as `<rule index>:<key>`. */
export function matchKeysOf(mapping: CompiledMapping, side: Side, fields: Record<string, unknown>): string[] {
  const keys: string[] = [];
  mapping.match.forEach((rule, i) => {
    const raw = readField(fields, rule[side]);
    if (raw === undefined || raw === null || raw === '') return;
    const key = rule.normalize(raw);
    if (key !== undefined && key !== '') keys.push(`${i}:${key}`);
  });
  return keys;
}

/** Takes in a record the listing of `side` returned; a later listing of the same record replaces it. */
export function addListed(listed: ListedRecords, mapping: CompiledMapping, side: Side, record: RemoteRecord): void {
  const before = listed.records[side].get(record.id);
  if (before) {
    for (const k of matchKeysOf(mapping, side, before.fields)) {
      const rest = (listed.byKey[side].get(k) ?? []).filter((r) => r.id !== record.id);
      if (rest.length > 0) listed.byKey[side].set(k, rest);
      else listed.byKey[side].delete(k);
    }
  }
  listed.records[side].set(record.id, record);
  if (record.deleted) return;
  for (const k of matchKeysOf(mapping, side, record.fields)) listed.byKey[side].set(k, [...(listed.byKey[side].get(k) ?? []), record]);
}

/**
 * The records of `side` carrying match key `key` (`<rule index>:<key>`) as far as the listing can tell, or
 * undefined when it cannot (the listing was not complete, or Concord's own writes touched that key since).
 */
export function listedWithKey(listed: ListedRecords | undefined, side: Side, key: string): RemoteRecord[] | undefined {
  if (!listed?.complete[side] || listed.touchedKeys[side].has(key)) return undefined;
  return listed.byKey[side].get(key) ?? [];
}

/**
 * After a group's writes: records Concord wrote are no longer as listed (the next use reads them), and the match
 * keys they had or were given are no longer answered by the listing.
 */
export function forgetWritten(listed: ListedRecords, mapping: CompiledMapping, results: readonly ItemResult[]): void {
  for (const res of results) {
    for (const w of res.plan.writes) {
      const touched = listed.touchedKeys[w.side];
      if (w.remoteId !== null) {
        const was = listed.records[w.side].get(w.remoteId);
        if (was) for (const k of matchKeysOf(mapping, w.side, was.fields)) touched.add(k);
        listed.records[w.side].delete(w.remoteId);
      }
      for (const k of matchKeysOf(mapping, w.side, w.patch)) touched.add(k);
      if (w.matchKey) {
        const key = mapping.match.findIndex((rule) => rule[w.side] === w.matchKey!.field);
        const normalised = key >= 0 ? mapping.match[key]!.normalize(w.matchKey.value) : undefined;
        if (normalised) touched.add(`${key}:${normalised}`);
      }
    }
  }
}
