import type { HubSpotContext } from './hubspot-context.js';
import { OPT_OUT_ALL_PROPERTY, type HubSpotObjectType } from './hubspot-objects.js';
import type { HubSpotRecord } from './hubspot-store.js';

/**
 * Email consent as HubSpot's communication preferences API keeps it: subscription types (definitions), each
 * contact's status per subscription and the "opted out of all email" wide status.
 * https://developers.hubspot.com/docs/api-reference/legacy/communication-preferences/guide (v4),
 * https://developers.hubspot.com/docs/api-reference/legacy/communication-preferences/v3/guide (v3).
 *
 * Statuses are kept by lower-cased email address, since the API addresses subscribers by email. For a contact
 * that exists, "opted out of all" IS its `hs_email_optout` property (one truth: an admin-API edit of the property,
 * a person acting in HubSpot's UI, counts at once); for an address without a contact it is kept here.
 * Every status change on a contact is a property change: `lastmodifieddate` moves and the propertyChange
 * webhook fires, as when a person changes it.
 */
export interface SubscriptionDefinition {
  id: string;
  name: string;
  description: string;
  purpose: string;
  communicationMethod: 'Email';
  isActive: boolean;
  isDefault: boolean;
  isInternal: boolean;
  createdAt: string;
  updatedAt: string;
}

export type StatusState = 'SUBSCRIBED' | 'UNSUBSCRIBED' | 'NOT_SPECIFIED';
export const LEGAL_BASES = [
  'CONSENT_WITH_NOTICE', 'LEGITIMATE_INTEREST_CLIENT', 'LEGITIMATE_INTEREST_OTHER', 'LEGITIMATE_INTEREST_PQL',
  'NON_GDPR', 'PERFORMANCE_OF_CONTRACT', 'PROCESS_AND_STORE',
] as const;

export interface SubscriptionStatus {
  state: StatusState;
  source: string;
  legalBasis: string | null;
  legalBasisExplanation: string | null;
  timestamp: string;
}

export interface LegalBasis { legalBasis?: string | undefined; legalBasisExplanation?: string | undefined }

/** The two subscription types every HubSpot account starts with (ids from the v3 guide's example and next to it). */
export function defaultDefinitions(): SubscriptionDefinition[] {
  const at = '2022-02-09T21:06:59.247Z';
  return [
    { id: '8458482', name: 'Marketing Information', description: 'Marketing offers and updates.', purpose: 'Marketing',
      communicationMethod: 'Email', isActive: true, isDefault: true, isInternal: false, createdAt: at, updatedAt: at },
    { id: '8458483', name: 'One to One', description: 'One to one emails.', purpose: 'Sales',
      communicationMethod: 'Email', isActive: true, isDefault: true, isInternal: false, createdAt: at, updatedAt: at },
  ];
}

export const optOutProperty = (definition: SubscriptionDefinition): string => `hs_email_optout_${definition.id}`;

export interface ConsentBook {
  definitions: readonly SubscriptionDefinition[];
  find(subscriptionId: string): SubscriptionDefinition | undefined;
  /** The contact with this email, if one is live. */
  contact(email: string): HubSpotRecord | undefined;
  optedOutOfAll(email: string): { since: string } | undefined;
  status(email: string, definition: SubscriptionDefinition): SubscriptionStatus;
  /** Sets one subscription's status; `changed` is false when it already had that state. */
  setStatus(email: string, definition: SubscriptionDefinition, state: StatusState, source: string, legal: LegalBasis): { changed: boolean };
  /** Opts the address out of all email: every subscription becomes UNSUBSCRIBED. Returns the subscriptions it changed. */
  unsubscribeAll(email: string, source: string, legal: LegalBasis): SubscriptionDefinition[];
  /** Clears the wide opt-out (only reachable where re-subscribing through the API is allowed). */
  clearOptOutAll(email: string): void;
  reset(): void;
}

export function createConsentBook(ctx: HubSpotContext, definitions: readonly SubscriptionDefinition[] = defaultDefinitions()): ConsentBook {
  const contacts = ctx.types.find((t) => t.name === 'contacts') as HubSpotObjectType;
  // The per-subscription opt-out properties exist on contacts and are read-only there, as hs_email_optout.
  for (const d of definitions) { contacts.readOnly.add(optOutProperty(d)); contacts.consentOwned.add(optOutProperty(d)); }
  const statuses = new Map<string, Map<string, SubscriptionStatus>>();
  const wideWithoutContact = new Map<string, string>();
  const key = (email: string) => email.trim().toLowerCase();
  const contact = (email: string) => ctx.store.findBy(contacts, 'email', key(email));

  /** Applies property values to the contact (if any) as one change: one lastmodifieddate bump, one webhook batch. */
  const touch = (email: string, properties: Record<string, string>): void => {
    const record = contact(email);
    if (!record) return;
    const change = ctx.store.update(contacts, record, properties, ctx.clock.now(), 'INTEGRATION');
    if (change.changed.length > 0) ctx.publish(change);
  };
  const put = (email: string, definition: SubscriptionDefinition, state: StatusState, source: string, legal: LegalBasis): boolean => {
    const book = statuses.get(key(email)) ?? statuses.set(key(email), new Map()).get(key(email))!;
    const before = book.get(definition.id);
    if (before?.state === state) return false;
    book.set(definition.id, {
      state, source, timestamp: ctx.clock.now().toISOString(),
      legalBasis: legal.legalBasis ?? null, legalBasisExplanation: legal.legalBasisExplanation ?? null,
    });
    return true;
  };

  return {
    definitions,
    find: (id) => definitions.find((d) => d.id === String(id)),
    contact,
    optedOutOfAll(email) {
      const record = contact(email);
      if (record) {
        if (record.properties[OPT_OUT_ALL_PROPERTY] !== 'true') return undefined;
        return { since: record.history[OPT_OUT_ALL_PROPERTY]?.[0]?.timestamp ?? record.updatedAt };
      }
      const since = wideWithoutContact.get(key(email));
      return since ? { since } : undefined;
    },
    status(email, definition) {
      return statuses.get(key(email))?.get(definition.id)
        ?? { state: 'NOT_SPECIFIED', source: 'Not specified', legalBasis: null, legalBasisExplanation: null, timestamp: ctx.clock.now().toISOString() };
    },
    setStatus(email, definition, state, source, legal) {
      const changed = put(email, definition, state, source, legal);
      if (changed) touch(email, { [optOutProperty(definition)]: state === 'UNSUBSCRIBED' ? 'true' : '' });
      return { changed };
    },
    unsubscribeAll(email, source, legal) {
      const changed = definitions.filter((d) => put(email, d, 'UNSUBSCRIBED', source, legal));
      const record = contact(email);
      if (!record) wideWithoutContact.set(key(email), wideWithoutContact.get(key(email)) ?? ctx.clock.now().toISOString());
      touch(email, { [OPT_OUT_ALL_PROPERTY]: 'true', ...Object.fromEntries(changed.map((d) => [optOutProperty(d), 'true'])) });
      return changed;
    },
    clearOptOutAll(email) {
      wideWithoutContact.delete(key(email));
      touch(email, { [OPT_OUT_ALL_PROPERTY]: 'false' });
    },
    reset() { statuses.clear(); wideWithoutContact.clear(); },
  };
}
