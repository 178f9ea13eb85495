/**
 * `concord explain <system>:<object>/<id>.<field>`: the history behind one value, from the audit log: each change
 * Concord made to it, oldest first, with where it came from (the linked record on the other side), which mapping
 * rule carried it, how a conflict was decided, and the batch (so it can be rolled back).
 */
import { ConcordError } from '../shared/errors/index.js';
import type { CompiledMapping } from '../mapping/compiled-types.js';
import type { AuditRecord, EngineStore } from '../engine/state/engine-store.js';
import { showValue } from './report-data.js';

export interface ExplainTarget {
  system: string;
  object: string;
  id: string;
  field: string;
}

/** `hubspot:contacts/123.firstname`, `mailchimp:members/ab12.merge_fields.FNAME`: the field starts after the first dot following the id. */
export function parseExplainTarget(text: string): ExplainTarget {
  const m = /^([a-z][a-z0-9]*):([^/]+)\/([^.]+)\.(.+)$/.exec(text);
  if (!m) {
    throw new ConcordError('CONCORD_ERR_ENGINE_EXPLAIN_TARGET',
      `explain: expected <system>:<object>/<id>.<field> such as hubspot:contacts/123.firstname, found "${text}"`);
  }
  return { system: m[1]!, object: m[2]!, id: m[3]!, field: m[4]! };
}

export interface ExplainStep {
  seq: number;
  time: string;
  old: unknown;
  new: unknown;
  reason: string;
  strategy: string | null;
  batchId: string;
  pair: string;
  /** The record on the other side of the link the value came from, when the row has a link. */
  from: string | null;
  /** The mapping rule that carries the field, when the pair's mapping is known. */
  rule: string | null;
}

function touches(row: AuditRecord, field: string): boolean {
  return row.field === field || row.field === '*' || field.startsWith(`${row.field}.`) || field.startsWith(`${row.field}[`) || row.field.startsWith(`${field}.`);
}

export async function explainValue(store: EngineStore, target: ExplainTarget, mappings: ReadonlyMap<string, CompiledMapping>): Promise<ExplainStep[]> {
  const rows = (await store.listAudit({ system: target.system, object: target.object, record: target.id })).filter((r) => touches(r, target.field));
  const steps: ExplainStep[] = [];
  for (const r of rows) {
    const link = r.linkId ? await store.getLink(r.linkId) : undefined;
    const mapping = mappings.get(r.pair);
    let from: string | null = null;
    let rule: string | null = null;
    if (link && mapping) {
      const side = mapping.left.system === r.system && mapping.left.object === r.object && link.leftId === r.record ? 'left' : 'right';
      const other = side === 'left' ? mapping.right : mapping.left;
      from = `${other.system}:${other.object}/${side === 'left' ? link.rightId : link.leftId}`;
      const f = mapping.fields.find((x) => x[side] === target.field);
      if (f) rule = `${f.left} <-> ${f.right} (${f.direction}, ${f.strategy}${f.fallback ? ` then ${f.fallback}` : ''}${f.transform.name !== 'identity' ? `, transform ${f.transform.name}` : ''}) in ${mapping.file}`;
    } else if (link) {
      from = `link ${link.id} (${link.leftId} <-> ${link.rightId})`;
    }
    steps.push({ seq: r.seq, time: r.time, old: r.old, new: r.new, reason: r.reason, strategy: r.strategy, batchId: r.batchId, pair: r.pair, from, rule });
  }
  return steps;
}

export function formatExplain(target: ExplainTarget, steps: readonly ExplainStep[]): string {
  const head = `${target.system}:${target.object}/${target.id}.${target.field}`;
  if (steps.length === 0) return `${head}: Concord has not changed this value (no audit rows). Its value is as the system's users left it.\n`;
  const lines = steps.map((s) => {
    const how = s.reason === 'conflict' ? `conflict settled by ${s.strategy}` : s.strategy ? `${s.reason} (${s.strategy})` : s.reason;
    return [
      `${s.time}  #${s.seq}  ${JSON.stringify(showValue(s.old))} -> ${JSON.stringify(showValue(s.new))}`,
      `    ${how}${s.from ? `, from ${s.from}` : ''}; pair ${s.pair}; batch ${s.batchId}`,
      ...(s.rule ? [`    rule: ${s.rule}`] : []),
    ].join('\n');
  });
  return `${head}: ${steps.length} change${steps.length === 1 ? '' : 's'} by Concord, oldest first\n${lines.join('\n')}\n`;
}
