/**
 * Plays a scenario against a world with the daemon running as a child process: user edits through the emulators'
 * admin API (webhooks fire as for a person in each product's UI), faults through the fault API, webhook chaos,
 * `kill -9` and restart. Every user edit is logged in canonical terms, so the checker can tell a value a person
 * set from a value Concord wrote. Then quiescence: faults off, webhooks flushed, and the daemon left to poll and
 * reconcile until nothing changes any more.
 */
import { join } from 'node:path';
import { approvePair } from '../../src/store/pair-state.js';
import { openStore } from '../../src/store/migrate.js';
import type { ChaosWorld, System } from './chaos-world.js';
import type { DaemonChild } from './daemon-child.js';
import { watchDaemonLog } from './daemon-log.js';
import { normalizeEmail, type CanonicalField } from './pair-fields.js';
import type { HubSpotEdit, MailchimpEdit, Scenario, Step } from './scenario-generator.js';

export interface UserEdit {
  /** Wall-clock ms when the edit was answered. */
  at: number;
  system: System;
  email: string;
  values: Partial<Record<CanonicalField, string>>;
  deleted?: boolean;
}

export interface RunStats {
  operations: number;
  faults: Record<string, number>;
  crashes: number;
  guardPauses: number;
  quiesced: boolean;
  notes: string[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const tagList = (v: string) => [...new Set(v.split(/[;,]/).map((t) => t.trim()).filter((t) => t !== ''))].sort().join(',');

function hubspotCanonical(f: HubSpotEdit): UserEdit['values'] {
  const v: UserEdit['values'] = {};
  for (const k of ['firstname', 'lastname', 'phone', 'company', 'lifecyclestage'] as const) if (f[k] !== undefined) v[k] = f[k]!.trim();
  if (f.tags !== undefined) v.tags = tagList(f.tags);
  return v;
}

function mailchimpCanonical(e: MailchimpEdit): UserEdit['values'] {
  const v: UserEdit['values'] = {};
  const m = e.merge_fields ?? {};
  if (m.FNAME !== undefined) v.firstname = m.FNAME.trim();
  if (m.LNAME !== undefined) v.lastname = m.LNAME.trim();
  if (m.PHONE !== undefined) v.phone = m.PHONE.trim();
  if (m.COMPANY !== undefined) v.company = m.COMPANY.trim();
  if (e.tags !== undefined) v.tags = tagList(e.tags.join(','));
  if (e.status !== undefined) v.optout = e.status === 'unsubscribed' ? 'true' : 'false';
  return v;
}

interface LiveRecord { id: string; email: string }

async function liveRecords(world: ChaosWorld, system: System): Promise<LiveRecord[]> {
  const res = await world.admin(system, 'GET', `records/${system === 'hubspot' ? 'contacts' : 'members'}`);
  const rows = (res.body as { result: Array<Record<string, unknown>> }).result;
  const live = system === 'hubspot'
    ? rows.filter((r) => r.archived !== true).map((r) => ({ id: String(r.id), email: String((r.properties as Record<string, string>).email ?? '') }))
    : rows.filter((r) => r.status !== 'archived').map((r) => ({ id: String(r.id), email: String(r.email_address) }));
  return live.filter((r) => r.email !== '').sort((a, b) => a.email.localeCompare(b.email));
}

export async function seedPeople(world: ChaosWorld, scenario: Scenario, log: UserEdit[]): Promise<void> {
  const hs = await world.admin('hubspot', 'POST', 'records/contacts', { records: scenario.people.hubspot.map((p) => ({ properties: { email: p.email, ...p.fields } })), notify: false });
  const mc = await world.admin('mailchimp', 'POST', 'records/members', { records: scenario.people.mailchimp.map((p) => ({ email_address: p.email, ...p.edit })), notify: false });
  if (hs.status >= 300 || mc.status >= 300) throw new Error(`seeding refused: ${JSON.stringify([hs.body, mc.body])}`);
  for (const p of scenario.people.hubspot) log.push({ at: 0, system: 'hubspot', email: normalizeEmail(p.email), values: { ...hubspotCanonical(p.fields), optout: 'false' } });
  for (const p of scenario.people.mailchimp) log.push({ at: 0, system: 'mailchimp', email: normalizeEmail(p.email), values: { optout: 'false', ...mailchimpCanonical(p.edit) } });
}

/** One step; the answer of a refused user edit (e.g. a record deleted meanwhile) is noted, not thrown. */
async function runStep(world: ChaosWorld, daemon: DaemonChild, step: Step, log: UserEdit[], stats: RunStats): Promise<void> {
  switch (step.kind) {
    case 'pause': await sleep(step.ms); return;
    case 'crash':
      await daemon.kill9();
      stats.crashes += 1;
      await sleep(step.restartAfterMs);
      await daemon.start();
      return;
    case 'fault': {
      const res = await world.admin(step.system, 'POST', 'faults', step.rule);
      if (res.status >= 300) throw new Error(`fault rule refused: ${JSON.stringify(res.body)}`);
      stats.faults[step.fault] = (stats.faults[step.fault] ?? 0) + 1;
      return;
    }
    case 'create': {
      stats.operations += 1;
      const res = step.system === 'hubspot'
        ? await world.admin('hubspot', 'POST', 'records/contacts', { records: [{ properties: { email: step.email, ...step.fields } }], notify: true })
        : await world.admin('mailchimp', 'POST', 'records/members', { records: [{ email_address: step.email, ...step.edit }], notify: true });
      if (res.status >= 300) { stats.notes.push(`create on ${step.system} refused: ${JSON.stringify(res.body)}`); return; }
      const values = step.system === 'hubspot' ? { optout: 'false', ...hubspotCanonical(step.fields) } : { optout: 'false', ...mailchimpCanonical(step.edit) };
      log.push({ at: Date.now(), system: step.system, email: normalizeEmail(step.email), values });
      return;
    }
    case 'update':
    case 'delete': {
      const live = await liveRecords(world, step.system);
      if (live.length === 0) return;
      const target = live[step.target % live.length]!;
      stats.operations += 1;
      const object = step.system === 'hubspot' ? 'contacts' : 'members';
      if (step.kind === 'delete') {
        const res = await world.admin(step.system, 'DELETE', `records/${object}/${target.id}`);
        if (res.status < 300) log.push({ at: Date.now(), system: step.system, email: normalizeEmail(target.email), values: {}, deleted: true });
        return;
      }
      const body = step.system === 'hubspot' ? { properties: step.fields } : step.edit;
      const values = step.system === 'hubspot' ? hubspotCanonical(step.fields) : mailchimpCanonical(step.edit);
      const res = await world.admin(step.system, 'PATCH', `records/${object}/${target.id}`, body);
      if (res.status >= 300) { stats.notes.push(`update on ${step.system} ${target.id} refused: ${JSON.stringify(res.body)}`); return; }
      log.push({ at: Date.now(), system: step.system, email: normalizeEmail(target.email), values });
      return;
    }
  }
}

export async function playScenario(world: ChaosWorld, daemon: DaemonChild, scenario: Scenario, log: UserEdit[], stats: RunStats): Promise<void> {
  const chaos = scenario.webhookChaos;
  for (const system of ['hubspot', 'mailchimp'] as const) {
    const res = await world.admin(system, 'PUT', 'webhooks', { chaos });
    if (res.status >= 300) throw new Error(`webhook chaos refused: ${JSON.stringify(res.body)}`);
  }
  for (const step of scenario.steps) await runStep(world, daemon, step, log, stats);
}

/** Webhook chaos as it happened, from both emulators' delivery logs. */
export async function countWebhookChaos(world: ChaosWorld, scenario: Scenario, stats: RunStats): Promise<void> {
  for (const system of ['hubspot', 'mailchimp'] as const) {
    const res = await world.admin(system, 'GET', 'webhooks');
    const deliveries = (res.body as { deliveries?: Array<{ state: string; duplicate: boolean }> }).deliveries ?? [];
    const add = (k: string, n: number) => { if (n > 0) stats.faults[k] = (stats.faults[k] ?? 0) + n; };
    add('webhook-drop', deliveries.filter((d) => d.state === 'dropped').length);
    add('webhook-duplicate', deliveries.filter((d) => d.duplicate).length);
    if (scenario.webhookChaos.reorder) add('webhook-reorder', 1);
  }
}

/**
 * Faults off, webhook chaos off, the daemon up; then wait until nothing is left to happen: nothing queued, held or
 * waiting for recovery, no webhook delivery pending, and both systems' records and the daemon's counters unchanged
 * while every intake finished two polls and the pair two reconcile passes (so one of each started after the last
 * change). It counts passes, not seconds, so a loaded machine only makes it slower. A pair paused by the
 * mass-change guard is approved, as an operator would after looking. Gives up after `maxMs` (a finding, not a hang).
 */
export async function quiesce(world: ChaosWorld, daemon: DaemonChild, stats: RunStats, maxMs = 180_000): Promise<void> {
  for (const system of ['hubspot', 'mailchimp'] as const) {
    await world.admin(system, 'DELETE', 'faults');
    await world.admin(system, 'PUT', 'webhooks', { chaos: { dropRate: 0, duplicateRate: 0, reorder: false, delayMs: 0 } });
  }
  if (!daemon.running) await daemon.start();
  const passes = watchDaemonLog(join(world.dir, 'daemon.log'));
  const started = Date.now();
  let last = '';
  let stableSince = Date.now();
  let why = 'the daemon did not answer';
  while (Date.now() - started < maxMs) {
    await sleep(1000);
    await Promise.all([world.hubspot.webhooks.idle(), world.mailchimp.webhooks.idle()]);
    const status = await daemon.status();
    if (!status) continue;
    const paused = status.store.pairs.filter((p) => p.paused);
    if (paused.length > 0) {
      const db = await openStore(world.databaseUrl);
      try { for (const p of paused) await approvePair(db.db, p.pair, new Date()); } finally { await db.close(); }
      stats.guardPauses += paused.length;
      stats.notes.push(`mass-change guard paused ${paused.map((p) => p.pair).join(', ')}; approved`);
    }
    const [hs, mc] = await Promise.all([world.admin('hubspot', 'GET', 'records/contacts'), world.admin('mailchimp', 'GET', 'records/members')]);
    // Writes and commits count; no-op passes do not (the poll's overlap window lists recent records again).
    const print = JSON.stringify([hs.body, mc.body, status.live.counters.committed, status.live.counters.writes]);
    if (print !== last) {
      why = 'records or counters changed';
      last = print;
      stableSince = Date.now();
      continue;
    }
    // Queued work is no change by itself: every reconcile pass queues the records that have no link (members only
    // Mailchimp has), and their no-op work must not count as activity. It must be done at the moment of the verdict.
    const waiting = Object.keys(status.live.recovering ?? {});
    if (status.live.queueDepth > 0 || status.live.pendingRows > 0 || status.store.inboxPending > 0 || waiting.length > 0) {
      why = `work queued: ${JSON.stringify({ queue: status.live.queueDepth, pending: status.live.pendingRows, inbox: status.store.inboxPending, recovering: waiting })}`;
      continue;
    }
    const done = await passes.passesSince(stableSince);
    const polled = done.polls.size > 0 && [...done.polls.values()].every((n) => n >= 2);
    if (polled && done.reconciles >= 2) { stats.quiesced = true; break; }
    why = `waiting for polls and reconcile passes after the last change: ${JSON.stringify({ polls: Object.fromEntries(done.polls), reconciles: done.reconciles })}`;
  }
  if (!stats.quiesced) stats.notes.push(`not quiescent after ${maxMs} ms: last seen ${why}`);
  await daemon.stop();
}
