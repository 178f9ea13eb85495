import { createHash } from 'node:crypto';
import type { SeededRandom } from '../seeded-random.js';

/** Member id = MD5 of the lower-cased email (PROVIDERS.md §5.3). */
export function subscriberHash(email: string): string {
  return createHash('md5').update(email.trim().toLowerCase(), 'utf8').digest('hex');
}

/** Mailchimp's timestamps have second precision and an explicit offset: 2024-06-01T12:00:00+00:00. */
export function mailchimpTime(d: Date): string {
  return `${d.toISOString().slice(0, 19)}+00:00`;
}

export type MemberStatus = 'subscribed' | 'unsubscribed' | 'cleaned' | 'pending' | 'transactional' | 'archived';
export const MEMBER_STATUSES: readonly MemberStatus[] = ['subscribed', 'unsubscribed', 'cleaned', 'pending', 'transactional', 'archived'];

export interface Member {
  id: string;
  email_address: string;
  unique_email_id: string;
  contact_id: string;
  web_id: number;
  email_type: string;
  status: MemberStatus;
  merge_fields: Record<string, unknown>;
  interests: Record<string, boolean>;
  language: string;
  vip: boolean;
  tags: Array<{ id: number; name: string; date_added: string }>;
  timestamp_signup: string;
  timestamp_opt: string;
  last_changed: string;
  ip_signup: string;
  ip_opt: string;
  source: string;
  list_id: string;
}

export interface MergeField {
  merge_id: number;
  tag: string;
  name: string;
  type: string;
  required: boolean;
  default_value: string;
  public: boolean;
  display_order: number;
  options: Record<string, unknown>;
  help_text: string;
  list_id: string;
}

export interface WebhookRegistration {
  id: string;
  url: string;
  events: Record<'subscribe' | 'unsubscribe' | 'profile' | 'cleaned' | 'upemail' | 'campaign', boolean>;
  sources: Record<'user' | 'admin' | 'api', boolean>;
  list_id: string;
}

export interface AudienceList {
  id: string;
  name: string;
  members: Map<string, Member>;
  mergeFields: MergeField[];
  webhooks: WebhookRegistration[];
  /** Permanently deleted addresses: they cannot be re-added by the API. */
  forgotten: Set<string>;
}

const DEFAULT_MERGE_FIELDS: Array<[string, string, string]> = [
  ['FNAME', 'First Name', 'text'], ['LNAME', 'Last Name', 'text'], ['ADDRESS', 'Address', 'address'],
  ['PHONE', 'Phone Number', 'phone'], ['BIRTHDAY', 'Birthday', 'birthday'],
];

export class MailchimpStore {
  readonly lists = new Map<string, AudienceList>();
  private nextTagId = 1;
  private nextWebId = 100001;

  constructor(private readonly random: SeededRandom, private readonly listSpecs: Array<{ id: string; name: string; mergeFields?: Array<{ tag: string; name?: string; type?: string }> }>) {
    this.reset();
  }

  reset(): void {
    this.lists.clear();
    this.nextTagId = 1;
    this.nextWebId = 100001;
    for (const spec of this.listSpecs) {
      const list: AudienceList = { id: spec.id, name: spec.name, members: new Map(), mergeFields: [], webhooks: [], forgotten: new Set() };
      for (const [tag, name, type] of DEFAULT_MERGE_FIELDS) this.addMergeField(list, { tag, name, type });
      for (const f of spec.mergeFields ?? []) this.addMergeField(list, { tag: f.tag, name: f.name ?? f.tag, type: f.type ?? 'text' });
      this.lists.set(list.id, list);
    }
  }

  addMergeField(list: AudienceList, f: { tag: string; name: string; type: string; required?: boolean; default_value?: string }): MergeField {
    const field: MergeField = {
      merge_id: list.mergeFields.length + 1, tag: f.tag.toUpperCase(), name: f.name, type: f.type,
      required: f.required ?? false, default_value: f.default_value ?? '', public: true,
      display_order: list.mergeFields.length + 2, options: {}, help_text: '', list_id: list.id,
    };
    list.mergeFields.push(field);
    return field;
  }

  newMember(list: AudienceList, email: string, status: MemberStatus, now: Date, source: string): Member {
    const at = mailchimpTime(now);
    const member: Member = {
      id: subscriberHash(email), email_address: email.trim(), unique_email_id: this.random.hex(10),
      contact_id: this.random.hex(32), web_id: this.nextWebId++, email_type: 'html', status, merge_fields: {},
      interests: {}, language: '', vip: false, tags: [], timestamp_signup: '', timestamp_opt: status === 'subscribed' ? at : '',
      last_changed: at, ip_signup: '', ip_opt: '', source, list_id: list.id,
    };
    for (const f of list.mergeFields) member.merge_fields[f.tag] = f.type === 'address' ? '' : f.default_value;
    list.members.set(member.id, member);
    return member;
  }

  tagId(): number { return this.nextTagId++; }
}

/** The member as the API returns it. */
export function renderMember(m: Member): Record<string, unknown> {
  return {
    ...m,
    full_name: [m.merge_fields.FNAME, m.merge_fields.LNAME].filter((v) => typeof v === 'string' && v !== '').join(' '),
    tags: m.tags.map((t) => ({ id: t.id, name: t.name })),
    tags_count: m.tags.length,
    member_rating: 2,
    _links: [],
  };
}
