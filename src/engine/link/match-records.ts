/**
 * Identity linking (DESIGN §5): records without a link are matched on the mapping's match keys, in order, with
 * each key's normalisation. A match links the two records; two records on one side with the same key are a
 * duplicate and are reported, never merged; no match means the record may be created on the other side, when
 * `create` allows it and the pair's filter passes.
 */
import type { RemoteRecord } from '../../connectors/contract.js';
import type { MatchRule, Side } from '../../mapping/compiled-types.js';
import type { RemoteId } from '../../shared/ids.js';
import { otherSide, type EngineDeps } from '../engine-deps.js';
import { chunkOps } from '../plan/write-batches.js';
import { readField } from '../process/record-fields.js';

export type LinkDecision =
  | { kind: 'link'; side: Side; record: RemoteRecord; other: RemoteRecord; matchKey: string; rule: MatchRule }
  /** Create `record` on the other side. `matchKey` is what the created record will carry (for crash recovery). */
  | { kind: 'create'; side: Side; record: RemoteRecord; matchKey: { field: string; value: string; key: string } | null }
  | { kind: 'duplicate'; side: Side; record: RemoteRecord; matchKey: string; duplicateSide: Side; ids: string[]; message: string }
  | { kind: 'skip'; side: Side; record: RemoteRecord; reason: 'create-not-allowed' | 'filtered-out' | 'filter-failed' | 'no-match-key' | 'deleted'; message: string };

export interface UnlinkedRecord {
  side: Side;
  record: RemoteRecord;
}

/** `find` takes plain strings: the raw value and its normalised form, so a case-sensitive system finds either. */
function searchValues(raw: unknown, key: string): string[] {
  const out = new Set<string>([key]);
  if (typeof raw === 'string' || typeof raw === 'number') out.add(String(raw));
  return [...out];
}

/** Values per `find` call: enough to batch, few enough for a provider's search filter. */
const FIND_BATCH = 50;

function keyOf(rule: MatchRule, side: Side, record: RemoteRecord): string | undefined {
  const raw = readField(record.fields, rule[side]);
  if (raw === undefined || raw === null || raw === '') return undefined;
  const key = rule.normalize(raw);
  return key === undefined || key === '' ? undefined : key;
}

/**
 * Decides, for each unlinked record, whether it links, is created on the other side, is a duplicate or is left
 * alone. Records are decided in the order given; a record matched by an earlier one (the other half of a link
 * made in this call) is not decided again.
 */
/**
 * Records of `side` carrying `key` under match rule `ruleIndex`, when the caller already knows them all (a
 * complete listing of that side made in this pass); undefined sends the key to `find`.
 */
export type KnownByKey = (side: Side, ruleIndex: number, key: string) => readonly RemoteRecord[] | undefined;

export async function decideLinks(deps: EngineDeps, unlinked: readonly UnlinkedRecord[], known?: KnownByKey): Promise<LinkDecision[]> {
  const { mapping, connectors, store } = deps;
  const decisions: LinkDecision[] = [];
  const taken = { left: new Set<string>(), right: new Set<string>() };
  const decided = { left: new Set<string>(), right: new Set<string>() };
  // Per match rule and side, the records carrying each key: found with one batched `find` per rule and side for
  // every key of the call, plus the call's own unlinked records (`find` may compare exactly where keys are
  // normalised, so two records that differ only in case must still be seen as sharing a key).
  const indexes = await Promise.all(mapping.match.map(async (rule, ruleIndex) => {
    const values = { left: new Set<string>(), right: new Set<string>() };
    const index = { left: new Map<string, Map<string, RemoteRecord>>(), right: new Map<string, Map<string, RemoteRecord>>() };
    const add = (s: Side, r: RemoteRecord) => {
      const k = r.deleted ? undefined : keyOf(rule, s, r);
      if (k === undefined) return;
      const m = index[s].get(k) ?? new Map<string, RemoteRecord>();
      if (!m.has(r.id)) m.set(r.id, r);
      index[s].set(k, m);
    };
    for (const u of unlinked) {
      const k = u.record.deleted ? undefined : keyOf(rule, u.side, u.record);
      if (k === undefined) continue;
      for (const s of ['left', 'right'] as const) {
        const listed = known?.(s, ruleIndex, k);
        if (listed) for (const r of listed) add(s, r);
        else for (const v of searchValues(readField(u.record.fields, rule[u.side]), k)) values[s].add(v);
      }
      add(u.side, u.record);
    }
    await Promise.all((['left', 'right'] as const).map(async (s) => {
      for (const chunk of chunkOps([...values[s]], FIND_BATCH)) {
        for (const r of await connectors[s].find(mapping[s].object, rule[s], chunk, deps.contextFor(s))) add(s, r);
      }
    }));
    return index;
  }));

  // The links the candidates already have, in one query per side instead of one per candidate.
  const candidateIds = { left: new Set<RemoteId>(), right: new Set<RemoteId>() };
  for (const { side, record } of unlinked) {
    mapping.match.forEach((rule, i) => {
      const key = record.deleted ? undefined : keyOf(rule, side, record);
      if (key === undefined) return;
      for (const id of indexes[i]![otherSide(side)].get(key)?.keys() ?? []) candidateIds[otherSide(side)].add(id as RemoteId);
    });
  }
  const linkedAlready = {
    left: await store.findLinksBySide(mapping.pair, 'left', [...candidateIds.left]),
    right: await store.findLinksBySide(mapping.pair, 'right', [...candidateIds.right]),
  };

  for (const { side, record } of unlinked) {
    if (decided[side].has(record.id) || taken[side].has(record.id)) continue;
    decided[side].add(record.id);
    if (record.deleted) {
      decisions.push({ kind: 'skip', side, record, reason: 'deleted', message: `${side} ${record.id} is deleted and has no link` });
      continue;
    }
    const other = otherSide(side);
    let outcome: LinkDecision | undefined;
    for (const [ruleIndex, rule] of mapping.match.entries()) {
      const key = keyOf(rule, side, record);
      if (key === undefined) continue;
      const ownIds = [...new Set([record.id, ...(indexes[ruleIndex]![side].get(key)?.keys() ?? [])])];
      if (ownIds.length > 1) {
        outcome = duplicate(side, record, key, side, ownIds, rule);
        break;
      }
      const candidates = [...(indexes[ruleIndex]![other].get(key)?.values() ?? [])];
      if (candidates.length > 1) {
        outcome = duplicate(side, record, key, other, candidates.map((r) => r.id), rule);
        break;
      }
      const candidate = candidates[0];
      if (!candidate) continue;
      const existing = linkedAlready[other].get(candidate.id);
      if (existing || taken[other].has(candidate.id)) {
        const partner = existing ? (other === 'left' ? existing.rightId : existing.leftId) : '(linked in this pass)';
        outcome = duplicate(side, record, key, side, [record.id, partner], rule);
        break;
      }
      taken[other].add(candidate.id);
      decided[other].add(candidate.id);
      outcome = { kind: 'link', side, record, other: candidate, matchKey: `${rule.normalizeName}:${key}`, rule };
      break;
    }
    decisions.push(outcome ?? await decideCreate(deps, side, record));
  }
  return decisions;
}

function duplicate(side: Side, record: RemoteRecord, key: string, duplicateSide: Side, ids: string[], rule: MatchRule): LinkDecision {
  return {
    kind: 'duplicate', side, record, matchKey: key, duplicateSide, ids,
    message: `${duplicateSide} records ${ids.join(', ')} share the match key ${rule[duplicateSide]} = "${key}" ` +
      `(normalised by ${rule.normalizeName}); none of them is linked until only one carries it`,
  };
}

async function decideCreate(deps: EngineDeps, side: Side, record: RemoteRecord): Promise<LinkDecision> {
  const { mapping } = deps;
  const other = otherSide(side);
  const allowed = other === 'right' ? mapping.create.toRight : mapping.create.toLeft;
  if (!allowed) {
    return { kind: 'skip', side, record, reason: 'create-not-allowed', message: `no match on ${other} and create.to_${other} is false` };
  }
  const filter = mapping.filter[side];
  if (filter) {
    let pass: boolean;
    try {
      pass = await filter(record.fields);
    } catch (err) {
      // A filter that cannot be evaluated holds the record: neither created nor silently dropped for good.
      return { kind: 'skip', side, record, reason: 'filter-failed', message: err instanceof Error ? err.message : String(err) };
    }
    if (!pass) return { kind: 'skip', side, record, reason: 'filtered-out', message: `the ${side} filter of ${mapping.pair} excludes it` };
  }
  for (const rule of mapping.match) {
    const key = keyOf(rule, side, record);
    if (key !== undefined) return { kind: 'create', side, record, matchKey: { field: rule[other], value: String(readField(record.fields, rule[side])), key: `${rule.normalizeName}:${key}` } };
  }
  // Without a match key a create that was cut short by a crash could not be found again and would be repeated,
  // unless the target system itself drops a repeated idempotency key.
  if (deps.connectors[other].capabilities.idempotentCreate) return { kind: 'create', side, record, matchKey: null };
  return { kind: 'skip', side, record, reason: 'no-match-key', message: `it has no value for any match key, so a create could not be recovered after a crash` };
}
