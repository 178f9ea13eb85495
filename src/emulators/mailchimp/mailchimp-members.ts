import { z } from 'zod';
import type { EmulatorClock } from '../emulator-clock.js';
import type { SeededRandom } from '../seeded-random.js';
import {
  mailchimpTime, MEMBER_STATUSES, subscriberHash, type AudienceList, type MailchimpStore, type Member, type MemberStatus,
} from './mailchimp-store.js';

/** Who made a change, as a Mailchimp webhook's `sources` settings name it. */
export type ChangeOrigin = 'user' | 'admin' | 'api';
export type EventType = 'subscribe' | 'unsubscribe' | 'profile' | 'cleaned' | 'upemail' | 'campaign';

export interface MemberEvent {
  type: EventType;
  origin: ChangeOrigin;
  member: Member;
  extra: Record<string, string>;
}

export interface MailchimpContext {
  store: MailchimpStore;
  random: SeededRandom;
  clock: EmulatorClock;
  publish(list: AudienceList, event: MemberEvent): void;
}

export interface MemberProblem { status: number; title: string; detail: string; errors?: Array<{ field: string; message: string }> }

const statusSchema = z.enum(MEMBER_STATUSES as [MemberStatus, ...MemberStatus[]]);
export const memberBodySchema = z.object({
  email_address: z.string().optional(),
  status: statusSchema.optional(),
  status_if_new: statusSchema.optional(),
  merge_fields: z.record(z.string(), z.unknown()).optional(),
  interests: z.record(z.string(), z.boolean()).optional(),
  language: z.string().optional(),
  vip: z.boolean().optional(),
  email_type: z.enum(['html', 'text']).optional(),
  ip_signup: z.string().optional(),
  ip_opt: z.string().optional(),
  timestamp_signup: z.string().optional(),
  timestamp_opt: z.string().optional(),
  /** Only POST (create) takes tags, as names. */
  tags: z.array(z.string()).optional(),
});
export type MemberBody = z.output<typeof memberBodySchema>;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function invalidResource(detail: string, errors?: MemberProblem['errors']): MemberProblem {
  return { status: 400, title: 'Invalid Resource', detail, ...(errors ? { errors } : {}) };
}

/**
 * Creates or updates one member, as PUT (upsert), PATCH (update), POST (create) and batch subscribe do.
 * - A new member takes `status_if_new`, else `status`; with neither it is created `pending` (PROVIDERS.md §5.6).
 * - Re-subscribing through the API a member who unsubscribed or was cleaned is refused with
 *   "Member In Compliance State"; a permanently deleted address with "Forgotten Email Not Subscribed".
 * - Unknown merge tags are dropped; `last_changed` moves only when something changed.
 */
export function writeMember(
  ctx: MailchimpContext,
  list: AudienceList,
  body: MemberBody,
  options: { mode: 'put' | 'patch' | 'post'; hash?: string; origin: ChangeOrigin },
): { ok: true; member: Member; created: boolean } | { ok: false; problem: MemberProblem } {
  const existing = options.hash ? list.members.get(options.hash) : body.email_address ? list.members.get(subscriberHash(body.email_address)) : undefined;
  const email = body.email_address?.trim();
  if (options.mode !== 'patch' && !existing && !email) return { ok: false, problem: invalidResource('The resource submitted could not be validated. For field-specific details, see the \'errors\' array.', [{ field: 'email_address', message: 'This value should not be blank.' }]) };
  if (email !== undefined && !EMAIL.test(email)) return { ok: false, problem: invalidResource('Please provide a valid email address.') };
  if (options.mode === 'put' && options.hash && email && subscriberHash(email) !== options.hash && !existing) {
    return { ok: false, problem: invalidResource(`The subscriber hash in the path does not match the email address ${email}.`) };
  }
  if (options.mode === 'post' && existing && existing.status !== 'archived') {
    return { ok: false, problem: { status: 400, title: 'Member Exists', detail: `${existing.email_address} is already a list member. Use PUT to insert or update list members.` } };
  }
  if (options.mode === 'patch' && !existing) return { ok: false, problem: { status: 404, title: 'Resource Not Found', detail: 'The requested resource could not be found.' } };
  const now = ctx.clock.now();

  if (!existing || existing.status === 'archived') {
    const address = email ?? existing?.email_address ?? '';
    if (list.forgotten.has(subscriberHash(address)) && options.origin === 'api') {
      return { ok: false, problem: { status: 400, title: 'Forgotten Email Not Subscribed', detail: `${address} was permanently deleted and cannot be re-imported. The contact must re-subscribe to get back on the list.` } };
    }
    const status = options.mode === 'put' ? body.status_if_new ?? body.status ?? 'pending' : body.status ?? body.status_if_new ?? 'pending';
    const member = existing ?? ctx.store.newMember(list, address, status, now, options.origin === 'api' ? 'API - Generic' : 'Admin Add');
    if (existing) { existing.status = status; existing.last_changed = mailchimpTime(now); }
    applyFields(list, member, body);
    member.timestamp_signup = member.timestamp_signup || mailchimpTime(now);
    if (status === 'subscribed') member.timestamp_opt = mailchimpTime(now);
    for (const name of body.tags ?? []) member.tags.push({ id: ctx.store.tagId(), name, date_added: mailchimpTime(now) });
    if (status === 'subscribed') ctx.publish(list, { type: 'subscribe', origin: options.origin, member, extra: {} });
    return { ok: true, member, created: !existing };
  }

  const before = JSON.stringify(existing);
  const beforeStatus = existing.status;
  const beforeEmail = existing.email_address;
  if (body.status && body.status !== beforeStatus) {
    if (body.status === 'subscribed' && (beforeStatus === 'unsubscribed' || beforeStatus === 'cleaned') && options.origin === 'api') {
      return { ok: false, problem: { status: 400, title: 'Member In Compliance State', detail: `${existing.email_address} is in a compliance state due to unsubscribe, bounce, or compliance review and cannot be subscribed.` } };
    }
    existing.status = body.status;
    if (body.status === 'subscribed') existing.timestamp_opt = mailchimpTime(now);
  }
  if (email && email.toLowerCase() !== beforeEmail.toLowerCase()) {
    const newHash = subscriberHash(email);
    if (list.members.has(newHash)) return { ok: false, problem: { status: 400, title: 'Member Exists', detail: `${email} is already a list member.` } };
    list.members.delete(existing.id);
    existing.id = newHash;
    existing.email_address = email;
    list.members.set(newHash, existing);
  }
  const profileChanged = applyFields(list, existing, body);
  if (JSON.stringify(existing) !== before) existing.last_changed = mailchimpTime(now);
  emitChanges(ctx, list, existing, { beforeStatus, beforeEmail, profileChanged, origin: options.origin });
  return { ok: true, member: existing, created: false };
}

function applyFields(list: AudienceList, m: Member, body: MemberBody): boolean {
  const before = JSON.stringify([m.merge_fields, m.interests, m.language, m.vip, m.email_type]);
  if (body.merge_fields) {
    const known = new Set(list.mergeFields.map((f) => f.tag));
    for (const [tag, value] of Object.entries(body.merge_fields)) if (known.has(tag.toUpperCase())) m.merge_fields[tag.toUpperCase()] = value;
  }
  if (body.interests) Object.assign(m.interests, body.interests);
  if (body.language !== undefined) m.language = body.language;
  if (body.vip !== undefined) m.vip = body.vip;
  if (body.email_type !== undefined) m.email_type = body.email_type;
  if (body.ip_signup !== undefined) m.ip_signup = body.ip_signup;
  if (body.ip_opt !== undefined) m.ip_opt = body.ip_opt;
  return JSON.stringify([m.merge_fields, m.interests, m.language, m.vip, m.email_type]) !== before;
}

/** The webhook events one change causes, as Mailchimp names them. */
export function emitChanges(
  ctx: MailchimpContext, list: AudienceList, m: Member,
  change: { beforeStatus: MemberStatus; beforeEmail: string; profileChanged: boolean; origin: ChangeOrigin },
): void {
  const { origin } = change;
  if (m.email_address.toLowerCase() !== change.beforeEmail.toLowerCase()) {
    ctx.publish(list, { type: 'upemail', origin, member: m, extra: { new_email: m.email_address, old_email: change.beforeEmail, new_id: m.unique_email_id } });
  }
  if (m.status !== change.beforeStatus) {
    if (m.status === 'subscribed') ctx.publish(list, { type: 'subscribe', origin, member: m, extra: {} });
    else if (m.status === 'unsubscribed') ctx.publish(list, { type: 'unsubscribe', origin, member: m, extra: { action: 'unsub', reason: 'manual' } });
    else if (m.status === 'cleaned') ctx.publish(list, { type: 'cleaned', origin, member: m, extra: { reason: 'hard' } });
    else if (m.status === 'archived') ctx.publish(list, { type: 'unsubscribe', origin, member: m, extra: { action: 'delete', reason: 'manual' } });
  }
  if (change.profileChanged) ctx.publish(list, { type: 'profile', origin, member: m, extra: {} });
}

/** Archive (DELETE) or erase (delete-permanent) a member. */
export function removeMember(ctx: MailchimpContext, list: AudienceList, hash: string, permanent: boolean, origin: ChangeOrigin): boolean {
  const m = list.members.get(hash);
  if (!m || (!permanent && m.status === 'archived')) return false;
  const beforeStatus = m.status;
  if (permanent) {
    list.members.delete(hash);
    list.forgotten.add(hash);
    if (beforeStatus !== 'archived') ctx.publish(list, { type: 'unsubscribe', origin, member: m, extra: { action: 'delete', reason: 'manual' } });
    return true;
  }
  m.status = 'archived';
  m.last_changed = mailchimpTime(ctx.clock.now());
  emitChanges(ctx, list, m, { beforeStatus, beforeEmail: m.email_address, profileChanged: false, origin });
  return true;
}

export function memberStatusOk(s: string): s is MemberStatus {
  return (MEMBER_STATUSES as readonly string[]).includes(s);
}

