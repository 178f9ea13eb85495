/**
 * Rollback after the scenario (DESIGN §7): `concord rollback --since <scenario start>` run as a user runs it,
 * with the daemon stopped; then every record Concord wrote that no person touched after Concord's first write to it
 * must hold, for each field Concord wrote, the value from before that first write (from the journal's `before`);
 * a member Concord created must be gone (archived). Records with a delete among Concord's writes are left out:
 * a delete cannot be undone through the connector, and the rollback reports it.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { JournalEntry } from '../../src/store/journal.js';
import type { ChaosWorld, System } from './chaos-world.js';
import { canonicalOf, journalValues, type Finding, type Snapshot } from './convergence-checker.js';
import { hubspotValues, mailchimpValues, normalizeEmail, type CanonicalField } from './pair-fields.js';
import type { UserEdit } from './scenario-runner.js';

const run = promisify(execFile);
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

export interface RollbackOutcome { undone: number; changedSince: number; cannotUndo: number; failed: number; errors: string[] }

export async function runRollbackCli(world: ChaosWorld, since: string): Promise<RollbackOutcome> {
  const args = ['--import', 'tsx', join(repoRoot, 'src/cli/main.ts'), '-c', world.configPath, 'rollback', '--since', since, '--json'];
  const out = await run(process.execPath, args, { cwd: repoRoot, env: { ...process.env, CONCORD_LOG_LEVEL: 'error' }, maxBuffer: 64 << 20 })
    .catch((err: { stdout?: string; code?: number; stderr?: string }) => {
      // Exit code 1 means "something changed since or failed": the report on stdout says what.
      if (err.code === 1 && err.stdout) return { stdout: err.stdout };
      throw new Error(`concord rollback failed: ${err.stderr ?? String(err)}`);
    });
  const totals: RollbackOutcome = { undone: 0, changedSince: 0, cannotUndo: 0, failed: 0, errors: [] };
  // One JSON document per pair, pretty-printed one after another.
  for (const doc of out.stdout.split(/\n(?=\{)/).filter((d) => d.trim() !== '')) {
    const r = JSON.parse(doc) as { undone: unknown[]; changedSince: unknown[]; cannotUndo: unknown[]; failed: Array<{ record: string; errors: string[] }> };
    totals.undone += r.undone.length;
    totals.changedSince += r.changedSince.length;
    totals.cannotUndo += r.cannotUndo.length;
    totals.failed += r.failed.length;
    for (const f of r.failed) {
      const errors = f.errors.filter((e) => !/does not let an integration undo an opt-out/.test(e));
      if (errors.length > 0) totals.errors.push(`${f.record}: ${errors.join('; ')}`);
    }
  }
  return totals;
}

/** What each untouched record must hold after the rollback, by (system, remote id). */
export function expectedAfterRollback(before: Snapshot, edits: readonly UserEdit[], since: string): Map<string, { email: string; created: boolean; values: Partial<Record<CanonicalField, string>> }> {
  const emailOf = new Map<string, string>();
  for (const r of before.hubspot) emailOf.set(`hubspot:${r.id}`, normalizeEmail(r.properties.email ?? ''));
  for (const m of before.mailchimp) emailOf.set(`mailchimp:${m.id}`, normalizeEmail(m.email_address));
  const groups = new Map<string, JournalEntry[]>();
  for (const j of before.journal) {
    if (j.state !== 'applied' || !j.remoteId || j.createdAt < since) continue;
    const k = `${j.system}:${j.remoteId}`;
    groups.set(k, [...(groups.get(k) ?? []), j]);
  }
  const expected = new Map<string, { email: string; created: boolean; values: Partial<Record<CanonicalField, string>> }>();
  for (const [k, group] of groups) {
    group.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    const email = emailOf.get(k);
    if (!email || group.some((j) => j.op === 'delete')) continue;
    const system = k.split(':')[0] as System;
    // A person's edit after Concord's first write (with a margin for the read before it) makes the record touched.
    const first = Date.parse(group[0]!.createdAt) - 2000;
    if (edits.some((e) => e.system === system && e.email === email && e.at >= first)) continue;
    if (group[0]!.op === 'create') { expected.set(k, { email, created: true, values: {} }); continue; }
    const values: Partial<Record<CanonicalField, string>> = {};
    for (const j of group) {
      const before = canonicalOf(system, (j.before ?? {}) as Record<string, unknown>);
      for (const f of Object.keys(journalValues(j)) as CanonicalField[]) {
        if (f in values || !(f in before)) continue;
        // An opt-out Concord wrote to HubSpot cannot be undone by an integration (see convergence-checker.ts).
        if (system === 'hubspot' && f === 'optout' && journalValues(j).optout === 'true' && before.optout !== 'true') { values[f] = 'true'; continue; }
        values[f] = before[f]!;
      }
    }
    expected.set(k, { email, created: false, values });
  }
  return expected;
}

export function checkRestored(expected: ReturnType<typeof expectedAfterRollback>, after: Snapshot): Finding[] {
  const findings: Finding[] = [];
  const hs = new Map(after.hubspot.map((r) => [r.id, r]));
  const mc = new Map(after.mailchimp.map((m) => [m.id, m]));
  for (const [k, want] of expected) {
    const [system, id] = k.split(':') as [System, string];
    const live = system === 'hubspot' ? (hs.get(id) && !hs.get(id)!.archived) : (mc.get(id) && mc.get(id)!.status !== 'archived');
    if (want.created) {
      if (live) findings.push({ kind: 'not-restored', detail: `${system} ${id} (${want.email}) was created by Concord and is still there after the rollback` });
      continue;
    }
    if (!live) continue;
    const now = system === 'hubspot' ? hubspotValues(hs.get(id)!) : mailchimpValues(mc.get(id)!);
    for (const [f, v] of Object.entries(want.values) as Array<[CanonicalField, string]>) {
      // An opt-out never set reads as 'false'; the value before may have been absent.
      const norm = (x: string) => (f === 'optout' && x === '' ? 'false' : x);
      if (norm(now[f]) !== norm(v)) findings.push({ kind: 'not-restored', detail: `${system} ${id} (${want.email}): ${f} is "${now[f]}" after the rollback, expected "${v}" from before Concord's first write` });
    }
  }
  return findings;
}
