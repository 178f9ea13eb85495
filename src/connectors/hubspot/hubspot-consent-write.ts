import { failAll } from '../http/response-checks.js';
import type { ConnectorContext, RemoteRecord, WriteOp, WriteResult } from '../contract.js';
import { toRemoteRecord, type HubspotRecord } from './hubspot-objects.js';
import {
  OPT_OUT_FIELD, invalidConsentValue, isOptedOut, optOutNeedsEmail, parseConsentIntent, readConsentState,
  undoOptOutRefused, unsubscribeAll,
} from './hubspot-consent.js';

type PropertyWriter = (ops: WriteOp[]) => Promise<WriteResult[]>;

/** What one op still has to do about consent once its other properties are written. */
interface ConsentStep {
  /** Email address to opt out by; absent when no call is needed. */
  optOutEmail?: string;
  /** The op's result when its other properties were written (a refused undo, a missing email). */
  failure?: WriteResult;
  /** The contact as read, for an update that carries no other property. */
  state?: HubspotRecord;
}

function emailOf(fields: Record<string, unknown>): string | undefined {
  const e = fields.email;
  return typeof e === 'string' && e.trim() !== '' ? e.trim() : undefined;
}

/**
 * Contacts writes with `hs_email_optout` taken out of the property batch (HubSpot refuses it there):
 * `true` becomes an unsubscribe-all call by the contact's email, after its other properties are written;
 * `false` on a contact that is opted out is a validation failure of that op, since no integration may undo
 * an opt-out; `false` on one that is not is nothing to do. Still one result per op, in op order.
 */
export async function writeContactsWithConsent(ops: WriteOp[], ctx: ConnectorContext, writeProperties: PropertyWriter): Promise<WriteResult[]> {
  const results = new Map<string, WriteResult>();
  const steps = new Map<string, ConsentStep>();
  const touching = ops.filter((op) => op.kind !== 'delete' && OPT_OUT_FIELD in op.fields);
  const updateIds = touching.flatMap((op) => (op.kind === 'update' ? [op.id as string] : []));
  const read = updateIds.length > 0 ? await readConsentState(updateIds, ctx) : { ok: true as const, records: new Map<string, HubspotRecord>() };
  const toWrite: WriteOp[] = [];

  for (const op of ops) {
    if (op.kind === 'delete' || !(OPT_OUT_FIELD in op.fields)) { toWrite.push(op); continue; }
    const intent = parseConsentIntent(op.fields[OPT_OUT_FIELD]);
    if (intent.kind === 'invalid') { results.set(op.ref, invalidConsentValue(op.ref, intent.found)); continue; }
    const { [OPT_OUT_FIELD]: _consent, ...fields } = op.fields;
    if (op.kind === 'create') {
      const email = emailOf(op.fields);
      if (intent.kind === 'opt-out' && !email) { results.set(op.ref, optOutNeedsEmail(op.ref, '(new)')); continue; }
      steps.set(op.ref, intent.kind === 'opt-out' ? { optOutEmail: email } : {});
      toWrite.push({ ...op, fields });
      continue;
    }
    if (!read.ok) { results.set(op.ref, failAll([op.ref], read.res)[0]!); continue; }
    const state = read.records.get(op.id);
    if (!state) {
      results.set(op.ref, { ref: op.ref, ok: false, error: { kind: 'not-found', message: `system hubspot: contact ${op.id} not found (archived or gone)` } });
      continue;
    }
    const step: ConsentStep = Object.keys(fields).length === 0 ? { state } : {};
    if (intent.kind === 'keep' && isOptedOut(state)) step.failure = undoOptOutRefused(op.ref, op.id);
    if (intent.kind === 'opt-out' && !isOptedOut(state)) {
      const email = emailOf(fields) ?? emailOf(state.properties);
      if (email) step.optOutEmail = email;
      else step.failure = optOutNeedsEmail(op.ref, op.id);
    }
    steps.set(op.ref, step);
    if (!step.state) toWrite.push({ ...op, fields });
  }

  if (toWrite.length > 0) for (const r of await writeProperties(toWrite)) results.set(r.ref, r);

  for (const [ref, step] of steps) {
    const written = results.get(ref);
    if (written && !written.ok) continue;
    const record: RemoteRecord | undefined = written?.ok ? written.record : step.state ? toRemoteRecord(step.state, 'contacts') : undefined;
    if (!record) continue;
    if (step.failure) { results.set(ref, step.failure); continue; }
    if (step.optOutEmail !== undefined) {
      const out = await unsubscribeAll(step.optOutEmail, ctx);
      if (!out.ok) {
        // A create that landed says so: the engine finds the contact by its match key before any new create.
        const created = written?.ok && ops.find((o) => o.ref === ref)?.kind === 'create' ? ` (contact ${record.id} was created; its opt-out was not recorded)` : '';
        results.set(ref, { ref, ok: false, error: { ...out.error, message: `${out.error.message}${created}` } });
        continue;
      }
      ctx.log.info({ event: 'connector:consent:opted-out', system: 'hubspot', contact: record.id }, 'contact opted out of all email');
      results.set(ref, { ref, ok: true, record: { ...record, fields: { ...record.fields, [OPT_OUT_FIELD]: 'true' } } });
      continue;
    }
    results.set(ref, { ref, ok: true, record });
  }
  return ops.map((op) => results.get(op.ref) ?? { ref: op.ref, ok: false, error: { kind: 'permanent', message: `no result for ${op.ref}` } });
}
