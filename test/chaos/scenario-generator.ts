/**
 * A chaos scenario as data, made from its seed alone: the people seeded before the daemon starts, then a list of
 * steps — user edits on both sides (creates, updates of the fields both sides map, deletes, unsubscribes, tag
 * changes), faults injected into the emulators (5xx, 429 storms, disconnects, slow answers, hangs), webhook chaos,
 * daemon crashes (`kill -9`) and pauses. The same seed
 * gives the same list; how the steps interleave with the daemon's work depends on timing, which is the point.
 * Targets are pool positions, resolved against what is live when the step runs.
 */
import { createSeededRandom, type SeededRandom } from '../../src/emulators/seeded-random.js';
import type { System } from './chaos-world.js';

export const lifecycleStages = ['lead', 'marketingqualifiedlead', 'customer'] as const;
const firstNames = ['Ada', 'Alan', 'Grace', 'Edsger', 'Barbara', 'Ken', 'Radia'];
const lastNames = ['Lovelace', 'Turing', 'Hopper', 'Liskov', 'Knuth', 'Perlman'];
const companies = ['Bell Labs', 'CERN', 'IBM', 'MIT', ''];
const tagPool = ['vip', 'newsletter', 'beta', 'events'];

/** Fields a user edits, by their name on each side. */
export type HubSpotEdit = Partial<Record<'firstname' | 'lastname' | 'phone' | 'company' | 'lifecyclestage' | 'tags', string>>;
export type MailchimpEdit = { merge_fields?: Partial<Record<'FNAME' | 'LNAME' | 'PHONE' | 'COMPANY', string>>; tags?: string[]; status?: 'subscribed' | 'unsubscribed' };

export type FaultKind = 'error-5xx' | 'timeout' | 'rate-limit-storm' | 'disconnect' | 'slow';
export type WebhookChaosKind = 'webhook-drop' | 'webhook-duplicate' | 'webhook-reorder';

export type Step =
  | { kind: 'create'; system: 'hubspot'; email: string; fields: HubSpotEdit }
  | { kind: 'create'; system: 'mailchimp'; email: string; edit: MailchimpEdit }
  | { kind: 'update'; system: 'hubspot'; target: number; fields: HubSpotEdit }
  | { kind: 'update'; system: 'mailchimp'; target: number; edit: MailchimpEdit }
  | { kind: 'delete'; system: System; target: number }
  | { kind: 'fault'; system: System; fault: FaultKind; rule: Record<string, unknown> }
  | { kind: 'crash'; restartAfterMs: number }
  | { kind: 'pause'; ms: number };

export interface Scenario {
  seed: string;
  people: { hubspot: Array<{ email: string; fields: HubSpotEdit }>; mailchimp: Array<{ email: string; edit: MailchimpEdit }> };
  webhookChaos: { dropRate: number; duplicateRate: number; reorder: boolean };
  steps: Step[];
}

export interface GeneratorOptions {
  steps?: number;
}

const pick = <T>(r: SeededRandom, items: readonly T[]): T => items[r.int(items.length)]!;
const phone = (r: SeededRandom) => `+1415555${1000 + r.int(9000)}`;

function hubspotFields(r: SeededRandom, all: boolean): HubSpotEdit {
  const f: HubSpotEdit = {};
  const want = (p: number) => all || r.chance(p);
  if (want(0.5)) f.firstname = pick(r, firstNames);
  if (want(0.3)) f.lastname = pick(r, lastNames);
  if (want(0.2)) f.phone = phone(r);
  if (want(0.2)) f.company = pick(r, companies);
  if (want(0.2)) f.lifecyclestage = pick(r, lifecycleStages);
  if (want(0.3)) f.tags = tagPool.filter(() => r.chance(0.4)).join(';');
  if (Object.keys(f).length === 0) f.firstname = pick(r, firstNames);
  return f;
}

function mailchimpEdit(r: SeededRandom, all: boolean): MailchimpEdit {
  const e: MailchimpEdit = {};
  const mf: NonNullable<MailchimpEdit['merge_fields']> = {};
  const want = (p: number) => all || r.chance(p);
  if (want(0.5)) mf.FNAME = pick(r, firstNames);
  if (want(0.3)) mf.LNAME = pick(r, lastNames);
  if (want(0.2)) mf.PHONE = phone(r);
  if (want(0.2)) mf.COMPANY = pick(r, companies);
  if (Object.keys(mf).length > 0) e.merge_fields = mf;
  if (want(0.3)) e.tags = tagPool.filter(() => r.chance(0.4));
  if (!all && r.chance(0.25)) e.status = r.chance(0.6) ? 'unsubscribed' : 'subscribed';
  if (!e.merge_fields && !e.tags && !e.status) e.merge_fields = { FNAME: pick(r, firstNames) };
  return e;
}

function faultStep(r: SeededRandom): Step {
  const system: System = r.chance(0.5) ? 'hubspot' : 'mailchimp';
  const kinds: FaultKind[] = ['error-5xx', 'rate-limit-storm', 'disconnect', 'slow'];
  const fault = pick(r, kinds);
  const rule: Record<string, unknown> = { route: '*' };
  if (fault === 'error-5xx') Object.assign(rule, { kind: 'error', status: pick(r, [500, 502, 503]), count: 1 + r.int(3) });
  if (fault === 'rate-limit-storm') Object.assign(rule, { kind: 'rate-limit', count: 3 + r.int(6), retryAfterSeconds: 1 });
  if (fault === 'disconnect') Object.assign(rule, { kind: 'disconnect', count: 1 + r.int(2) });
  if (fault === 'slow') Object.assign(rule, { kind: 'slow', delayMs: 500 + r.int(1500), count: 1 + r.int(3) });
  return { kind: 'fault', system, fault, rule };
}

/** A request that is never answered: it costs the workspace's request_timeout (2 s, chaos-world.ts). */
function hangStep(r: SeededRandom): Step {
  const system: System = r.chance(0.5) ? 'hubspot' : 'mailchimp';
  return { kind: 'fault', system, fault: 'timeout', rule: { route: '*', kind: 'hang', count: 1 + r.int(2) } };
}

export function generateScenario(seed: string, options: GeneratorOptions = {}): Scenario {
  const r = createSeededRandom(`chaos:${seed}`);
  // Hangs come from a stream of their own and are added after other faults, so a seed's other steps are the ones it
  // had before hangs were part of every scenario (the regression seeds replay as they were found).
  const hangs = createSeededRandom(`chaos-hangs:${seed}`);
  const pool = Array.from({ length: 24 }, (_, i) => `p${i}.${r.hex(3)}@chaos.example`);
  const people: Scenario['people'] = { hubspot: [], mailchimp: [] };
  // A third on both sides, the rest on one side only; some shared addresses differ in case on Mailchimp.
  for (let i = 0; i < 12; i++) {
    const email = pool[i]!;
    if (i < 8) people.hubspot.push({ email, fields: { ...hubspotFields(r, true), lifecyclestage: pick(r, lifecycleStages) } });
    if (i >= 4) people.mailchimp.push({ email: i < 8 && r.chance(0.3) ? email.toUpperCase() : email, edit: mailchimpEdit(r, true) });
  }
  let nextNew = 12;
  const steps: Step[] = [];
  const count = options.steps ?? 30;
  for (let i = 0; i < count; i++) {
    const roll = r.next();
    if (roll < 0.08 && nextNew < pool.length) {
      const email = pool[nextNew++]!;
      steps.push(r.chance(0.6)
        ? { kind: 'create', system: 'hubspot', email, fields: { ...hubspotFields(r, true), lifecyclestage: pick(r, lifecycleStages) } }
        : { kind: 'create', system: 'mailchimp', email, edit: mailchimpEdit(r, true) });
    } else if (roll < 0.3) steps.push({ kind: 'update', system: 'hubspot', target: r.int(1000), fields: hubspotFields(r, false) });
    else if (roll < 0.52) steps.push({ kind: 'update', system: 'mailchimp', target: r.int(1000), edit: mailchimpEdit(r, false) });
    else if (roll < 0.56) steps.push({ kind: 'delete', system: r.chance(0.5) ? 'hubspot' : 'mailchimp', target: r.int(1000) });
    else if (roll < 0.72) {
      steps.push(faultStep(r));
      if (hangs.chance(0.35)) steps.push(hangStep(hangs));
    }
    else if (roll < 0.8) steps.push({ kind: 'crash', restartAfterMs: r.int(800) });
    else steps.push({ kind: 'pause', ms: 100 + r.int(900) });
  }
  const webhookChaos = { dropRate: pick(r, [0, 0.1, 0.3]), duplicateRate: pick(r, [0, 0.2, 0.4]), reorder: r.chance(0.5) };
  return { seed, people, webhookChaos, steps };
}
