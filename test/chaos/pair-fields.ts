/**
 * The checker's own reading of the shipped HubSpot <-> Mailchimp contacts mapping, from the providers' record
 * shapes as the emulators' admin API shows them: which value of a record each mapped field is, in one canonical
 * form per field, so both sides compare directly. Written apart from Concord's transforms on purpose: a checker
 * that used Concord's code to read values would agree with Concord's mistakes.
 */
export type CanonicalField = 'firstname' | 'lastname' | 'phone' | 'company' | 'lifecyclestage' | 'tags' | 'optout';

/** Two-way fields (DESIGN §5 strategies) and the one-way one; after quiescence all must agree. */
export const pairFields: ReadonlyArray<{ field: CanonicalField; hubspot: string; mailchimp: string; direction: 'both' | 'left-to-right'; strategy: string }> = [
  { field: 'firstname', hubspot: 'firstname', mailchimp: 'merge_fields.FNAME', direction: 'both', strategy: 'last-write-wins' },
  { field: 'lastname', hubspot: 'lastname', mailchimp: 'merge_fields.LNAME', direction: 'both', strategy: 'last-write-wins' },
  { field: 'phone', hubspot: 'phone', mailchimp: 'merge_fields.PHONE', direction: 'both', strategy: 'last-write-wins' },
  { field: 'company', hubspot: 'company', mailchimp: 'merge_fields.COMPANY', direction: 'both', strategy: 'last-write-wins' },
  { field: 'lifecyclestage', hubspot: 'lifecyclestage', mailchimp: 'merge_fields.LIFECYCLE', direction: 'left-to-right', strategy: 'one-way' },
  { field: 'tags', hubspot: 'tags', mailchimp: 'tags', direction: 'both', strategy: 'merge-set' },
  { field: 'optout', hubspot: 'hs_email_optout', mailchimp: 'status', direction: 'both', strategy: 'prefer-right' },
];

export interface HubSpotRaw { id: string; properties: Record<string, string | undefined>; archived: boolean }
export interface MailchimpRaw { id: string; email_address: string; status: string; merge_fields: Record<string, string>; tags: Array<{ name: string }> }

const text = (v: unknown): string => (v === undefined || v === null ? '' : String(v).trim());
const tagSet = (names: readonly string[]): string => [...new Set(names.map((n) => n.trim()).filter((n) => n !== ''))].sort().join(',');

/** Canonical values: text ('' for empty), tags as a sorted comma list, opt-out as 'true' / 'false' / the raw status. */
export function hubspotValues(r: HubSpotRaw): Record<CanonicalField, string> {
  const p = r.properties;
  return {
    firstname: text(p.firstname), lastname: text(p.lastname), phone: text(p.phone), company: text(p.company),
    lifecyclestage: text(p.lifecyclestage),
    // A HubSpot multiple-checkbox value is the options joined by ';'.
    tags: tagSet(text(p.tags).split(';')),
    optout: text(p.hs_email_optout) === 'true' ? 'true' : 'false',
  };
}

export function mailchimpValues(m: MailchimpRaw): Record<CanonicalField, string> {
  const f = m.merge_fields;
  return {
    firstname: text(f.FNAME), lastname: text(f.LNAME), phone: text(f.PHONE), company: text(f.COMPANY),
    lifecyclestage: text(f.LIFECYCLE),
    tags: tagSet(m.tags.map((t) => t.name)),
    // The mapping's map covers subscribed / unsubscribed only; other statuses are kept as they are and reported.
    optout: m.status === 'unsubscribed' ? 'true' : m.status === 'subscribed' ? 'false' : m.status,
  };
}

export const normalizeEmail = (e: string): string => e.trim().toLowerCase();
