/**
 * Recovery on start (DESIGN §7): a journal intent without an outcome is a write that may or may not have reached
 * the system before the process stopped. It is resolved by reading the target: an update is applied when the
 * target holds the values it meant to set, not applied when it still holds the values before; a create is found
 * by its match key (and linked), never repeated; a delete is applied when the record is gone. Anything else is
 * marked `unknown` and reported, and left for an operator.
 */
import type { RemoteRecord } from '../../connectors/contract.js';
import type { Side } from '../../mapping/compiled-types.js';
import type { EngineDeps } from '../engine-deps.js';
import { otherSide } from '../engine-deps.js';
import { readRecords } from '../process/process-items.js';
import { readField } from '../process/record-fields.js';
import { sameValue } from '../process/same-value.js';
import type { AuditEntry, JournalEntry } from '../state/engine-store.js';

export interface RecoveryReport {
  applied: string[];
  notApplied: string[];
  unknown: Array<{ id: string; why: string }>;
}

function valuesHeld(record: RemoteRecord, values: Record<string, unknown>): boolean {
  return Object.entries(values).every(([k, v]) => sameValue(record.fields[k], v));
}

export async function recoverIntents(deps: EngineDeps): Promise<RecoveryReport> {
  const { store, mapping, clock, log } = deps;
  const report: RecoveryReport = { applied: [], notApplied: [], unknown: [] };
  const open = await store.listJournal({ pair: mapping.pair, states: ['intent'] });
  for (const entry of open) {
    const side = entry.side;
    const at = clock.now().toISOString();
    let verdict: { state: 'applied'; record: RemoteRecord } | { state: 'failed'; why: string } | { state: 'unknown'; why: string };
    if (entry.op === 'create') verdict = await resolveCreate(deps, entry, side);
    else {
      const record = (await readRecords(deps, side, [entry.remoteId!])).get(entry.remoteId!);
      if (!record) verdict = { state: 'unknown', why: 'the target could not be read' };
      else if (entry.op === 'delete') {
        verdict = record.deleted ? { state: 'applied', record } : { state: 'failed', why: 'the record still exists: the delete did not happen' };
      } else if (record.deleted) verdict = { state: 'unknown', why: 'the record was deleted since' };
      else if (valuesHeld(record, entry.after)) verdict = { state: 'applied', record };
      else if (valuesHeld(record, entry.before)) verdict = { state: 'failed', why: 'the target still holds the values before: the write did not happen' };
      else verdict = { state: 'unknown', why: 'the target holds neither the values before nor the values written: it changed since' };
    }
    await store.transaction(async (tx) => {
      if (verdict.state !== 'applied') {
        await tx.completeJournal(entry.id, { state: verdict.state, error: `recovered: ${verdict.why}` }, at);
        return;
      }
      const record = verdict.record;
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
        state: 'applied', after: entry.after, versionAfter: record.version, remoteId: record.id, ...(linkId ? { linkId } : {}),
      }, at);
      const rows: AuditEntry[] = Object.entries(entry.op === 'delete' ? { '*': null } : entry.after).map(([field, value]) => ({
        time: at, pair: mapping.pair, linkId, system: entry.system, object: entry.object, record: record.id, field,
        old: entry.op === 'delete' ? entry.before : entry.before[field] ?? null, new: value,
        reason: entry.op === 'create' ? 'created' : entry.op === 'delete' ? 'deleted' : entry.undoes ? 'rollback' : 'propagated',
        strategy: 'recovered after restart', batchId: entry.batchId, journalId: entry.id,
      }));
      await tx.appendAudit(rows);
    });
    if (verdict.state === 'applied') report.applied.push(entry.id);
    else if (verdict.state === 'failed') report.notApplied.push(entry.id);
    else report.unknown.push({ id: entry.id, why: verdict.why });
    log.info({ event: 'engine:journal:recovered', journalId: entry.id, state: verdict.state }, 'journal intent resolved');
  }
  return report;
}

async function resolveCreate(deps: EngineDeps, entry: JournalEntry, side: Side) {
  const { mapping, connectors } = deps;
  if (!entry.matchKey) return { state: 'unknown' as const, why: 'a create without a match key cannot be looked for' };
  const rule = mapping.match.find((m) => m[side] === entry.matchKey!.field);
  const normalized = entry.matchKey.key.slice(entry.matchKey.key.indexOf(':') + 1);
  const values = [...new Set([entry.matchKey.value, normalized])];
  const found = (await connectors[side].find(mapping[side].object, entry.matchKey.field, values, deps.contextFor(side)))
    .filter((r) => !r.deleted && (!rule || rule.normalize(readField(r.fields, entry.matchKey!.field)) === normalized));
  if (found.length === 1) return { state: 'applied' as const, record: found[0]! };
  if (found.length === 0) return { state: 'failed' as const, why: `no ${mapping[side].object} with ${entry.matchKey.field} = "${entry.matchKey.value}": the create did not happen` };
  return { state: 'unknown' as const, why: `${found.length} records carry ${entry.matchKey.field} = "${entry.matchKey.value}": ${found.map((r) => r.id).join(', ')}` };
}
