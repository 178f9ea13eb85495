/**
 * Recovery on start (DESIGN §7): a journal intent without an outcome is a write that may or may not have reached
 * the system before the process stopped. It is resolved by reading the target: an update is applied when the
 * target holds the values it meant to set, not applied when it still holds the values before; a create is found
 * by its match key (and linked), never repeated; a delete is applied when the record is gone. Anything else is
 * marked `unknown` and reported, and left for an operator (rollback lists it as undecided).
 *
 * A write may also have reached the system in part: Mailchimp makes or changes a member in two requests (the
 * member, then its tags), and a kill between them leaves the tags out. Recovery journals such a write as applied
 * with `after` holding only the keys that landed, because the journal is what rollback undoes and checks against:
 * an `after` naming values the record never held would make rollback call Concord's own create "changed since"
 * and leave it in place forever (chaos seed ci-d6004f-postgres-1). The keys left out are sent again by the next
 * sync, journaled as a write of their own.
 */
import type { RemoteRecord } from '../../connectors/contract.js';
import type { Side } from '../../mapping/compiled-types.js';
import type { EngineDeps } from '../engine-deps.js';
import { otherSide } from '../engine-deps.js';
import { readRecords } from '../process/process-items.js';
import { readField } from '../process/record-fields.js';
import { keptAsWritten } from '../process/kept-as-written.js';
import type { AuditEntry, JournalEntry } from '../state/engine-store.js';

export interface RecoveryReport {
  applied: string[];
  notApplied: string[];
  unknown: Array<{ id: string; why: string }>;
}

type Verdict =
  | { state: 'applied'; record: RemoteRecord; after: Record<string, unknown>; notLanded: string[] }
  | { state: 'failed'; why: string }
  | { state: 'unknown'; why: string };

/**
 * The keys of a write sorted by what the target holds now: the value written (landed), the value before (not
 * landed: for a create, nothing), or neither (changed since). Compared as rollback compares (`keptAsWritten`), so
 * a list Mailchimp answers sorted or an address it keeps in its own case still counts as written.
 */
function landedKeys(deps: EngineDeps, entry: JournalEntry, record: RemoteRecord) {
  const out = { landed: [] as string[], notLanded: [] as string[], changed: [] as string[] };
  for (const [k, written] of Object.entries(entry.after)) {
    const held = record.fields[k];
    if (keptAsWritten(deps.mapping, entry.side, k, held, written)) out.landed.push(k);
    else if (keptAsWritten(deps.mapping, entry.side, k, held, entry.before[k])) out.notLanded.push(k);
    else out.changed.push(k);
  }
  return out;
}

function only(values: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(values).filter(([k]) => keys.includes(k)));
}

function resolveUpdate(deps: EngineDeps, entry: JournalEntry, record: RemoteRecord): Verdict {
  if (record.deleted) return { state: 'unknown', why: 'the record was deleted since' };
  const keys = landedKeys(deps, entry, record);
  if (keys.changed.length > 0) return { state: 'unknown', why: `the target holds neither the values before nor the values written (${keys.changed.join(', ')}): it changed since` };
  if (keys.landed.length === 0) return { state: 'failed', why: 'the target still holds the values before: the write did not happen' };
  return { state: 'applied', record, after: only(entry.after, keys.landed), notLanded: keys.notLanded };
}

export interface RecoverOptions {
  /** Resolve only these open intents. Default is all of the pair's. */
  only?: (entry: JournalEntry) => boolean;
}

export async function recoverIntents(deps: EngineDeps, options: RecoverOptions = {}): Promise<RecoveryReport> {
  const { store, mapping, clock, log } = deps;
  const report: RecoveryReport = { applied: [], notApplied: [], unknown: [] };
  const open = await store.listJournal({ pair: mapping.pair, states: ['intent'] });
  for (const entry of open) {
    if (options.only && !options.only(entry)) continue;
    const side = entry.side;
    const at = clock.now().toISOString();
    let verdict: Verdict;
    if (entry.op === 'create') verdict = await resolveCreate(deps, entry, side);
    else {
      const record = (await readRecords(deps, side, [entry.remoteId!])).get(entry.remoteId!);
      if (!record) verdict = { state: 'unknown', why: 'the target could not be read' };
      else if (entry.op === 'delete') {
        verdict = record.deleted ? { state: 'applied', record, after: entry.after, notLanded: [] } : { state: 'failed', why: 'the record still exists: the delete did not happen' };
      } else verdict = resolveUpdate(deps, entry, record);
    }
    await store.transaction(async (tx) => {
      if (verdict.state !== 'applied') {
        await tx.completeJournal(entry.id, { state: verdict.state, error: `recovered: ${verdict.why}` }, at);
        return;
      }
      const { record, after } = verdict;
      let linkId = entry.linkId;
      if (entry.op === 'create' && !linkId && entry.createdFrom) {
        const sourceSide: Side = otherSide(side);
        const existing = await tx.findLinkBySide(mapping.pair, sourceSide, entry.createdFrom);
        if (!existing) {
          const ids = sourceSide === 'left' ? { leftId: entry.createdFrom, rightId: record.id } : { leftId: record.id, rightId: entry.createdFrom };
          linkId = (await tx.insertLink({ pair: mapping.pair, ...ids, matchKey: entry.matchKey?.key ?? null })).id;
        } else linkId = existing.id;
      }
      await tx.completeJournal(entry.id, {
        state: 'applied', after, versionAfter: record.version, remoteId: record.id, ...(linkId ? { linkId } : {}),
      }, at);
      const rows: AuditEntry[] = Object.entries(entry.op === 'delete' ? { '*': null } : after).map(([field, value]) => ({
        time: at, pair: mapping.pair, linkId, system: entry.system, object: entry.object, record: record.id, field,
        old: entry.op === 'delete' ? entry.before : entry.before[field] ?? null, new: value,
        reason: entry.op === 'create' ? 'created' : entry.op === 'delete' ? 'deleted' : entry.undoes ? 'rollback' : 'propagated',
        strategy: 'recovered: the answer was lost', batchId: entry.batchId, journalId: entry.id,
      }));
      await tx.appendAudit(rows);
    });
    if (verdict.state === 'applied') report.applied.push(entry.id);
    else if (verdict.state === 'failed') report.notApplied.push(entry.id);
    else report.unknown.push({ id: entry.id, why: verdict.why });
    const notLanded = verdict.state === 'applied' && verdict.notLanded.length > 0 ? { notLanded: verdict.notLanded } : {};
    log.info({ event: 'engine:journal:recovered', journalId: entry.id, state: verdict.state, ...notLanded }, 'journal intent resolved');
  }
  return report;
}

async function resolveCreate(deps: EngineDeps, entry: JournalEntry, side: Side): Promise<Verdict> {
  const { mapping, connectors } = deps;
  if (!entry.matchKey) return { state: 'unknown', why: 'a create without a match key cannot be looked for' };
  const rule = mapping.match.find((m) => m[side] === entry.matchKey!.field);
  const normalized = entry.matchKey.key.slice(entry.matchKey.key.indexOf(':') + 1);
  const values = [...new Set([entry.matchKey.value, normalized])];
  const found = (await connectors[side].find(mapping[side].object, entry.matchKey.field, values, deps.contextFor(side)))
    .filter((r) => !r.deleted && (!rule || rule.normalize(readField(r.fields, entry.matchKey!.field)) === normalized));
  if (found.length === 1) {
    // The create happened (its record is there, under its match key), so it is applied whatever its fields hold.
    // A key still empty did not land and is left out of `after`; a key holding someone else's value stays in, so
    // rollback finds it changed since and leaves the record for an operator rather than deleting what a person set.
    const record = found[0]!;
    const keys = landedKeys(deps, entry, record);
    return { state: 'applied', record, after: only(entry.after, [...keys.landed, ...keys.changed]), notLanded: keys.notLanded };
  }
  if (found.length === 0) return { state: 'failed', why: `no ${mapping[side].object} with ${entry.matchKey.field} = "${entry.matchKey.value}": the create did not happen` };
  return { state: 'unknown', why: `${found.length} records carry ${entry.matchKey.field} = "${entry.matchKey.value}": ${found.map((r) => r.id).join(', ')}` };
}
