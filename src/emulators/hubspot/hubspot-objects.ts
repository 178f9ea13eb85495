/**
 * The HubSpot object types the emulator serves and their properties.
 * Sources: https://developers.hubspot.com/docs/api-reference/2026-03/crm/search-the-crm (default search
 * properties), PROVIDERS.md §1.3. Unknown and read-only properties are rejected on write, as documented at
 * https://developers.hubspot.com/docs/api-reference/2026-03/crm/objects/contacts/batch/update-contacts.md
 */
export interface HubSpotObjectType {
  name: 'contacts' | 'companies';
  /** Numeric object type id, accepted in paths in place of the name. */
  typeId: string;
  /** Upper-case label used in HubSpot's error messages ("Could not get some CONTACT objects"). */
  label: string;
  lastModifiedProperty: string;
  defaultProperties: string[];
  writable: Set<string>;
  readOnly: Set<string>;
  /**
   * Read-only properties that consent owns (opt-out of all email, opt-out per subscription): refused on API
   * writes like every read-only property, but set by the communication preferences API and by a user's own
   * action (a HubSpot form or the UI, the admin API here).
   */
  consentOwned: Set<string>;
  /** Properties whose values must be unique (usable as `idProperty`). */
  unique: Set<string>;
  /** Properties searched by a free-text `query`. */
  searchable: string[];
}

const contactWritable = [
  'email', 'firstname', 'lastname', 'phone', 'mobilephone', 'company', 'jobtitle', 'website', 'address', 'city',
  'state', 'zip', 'country', 'lifecyclestage', 'hs_lead_status', 'hubspot_owner_id', 'hs_language',
];
/**
 * "Opted out of all email" is read-only on the objects API: a write answers 400 "hs_email_optout is a read only
 * property; its value cannot be set." (https://integrate.hubspot.com/t/batch-update-email-information-via-api/15722);
 * opting out goes through the communication preferences API (hubspot-preference-routes.ts). The per-subscription
 * `hs_email_optout_<subscriptionId>` properties are added with the subscription definitions.
 */
export const OPT_OUT_ALL_PROPERTY = 'hs_email_optout';
const companyWritable = [
  'name', 'domain', 'phone', 'address', 'city', 'state', 'zip', 'country', 'industry', 'website', 'description',
  'lifecyclestage', 'numberofemployees', 'annualrevenue', 'hubspot_owner_id',
];

export function createObjectTypes(customProperties: Partial<Record<'contacts' | 'companies', string[]>> = {}): HubSpotObjectType[] {
  return [
    {
      name: 'contacts', typeId: '0-1', label: 'CONTACT', lastModifiedProperty: 'lastmodifieddate',
      defaultProperties: ['createdate', 'email', 'firstname', 'hs_object_id', 'lastmodifieddate', 'lastname'],
      writable: new Set([...contactWritable, ...(customProperties.contacts ?? [])]),
      readOnly: new Set(['hs_object_id', 'createdate', 'lastmodifieddate', OPT_OUT_ALL_PROPERTY]),
      consentOwned: new Set([OPT_OUT_ALL_PROPERTY]),
      unique: new Set(['email', 'hs_object_id']),
      searchable: ['email', 'firstname', 'lastname', 'phone', 'company'],
    },
    {
      name: 'companies', typeId: '0-2', label: 'COMPANY', lastModifiedProperty: 'hs_lastmodifieddate',
      defaultProperties: ['createdate', 'domain', 'hs_lastmodifieddate', 'hs_object_id', 'name'],
      writable: new Set([...companyWritable, ...(customProperties.companies ?? [])]),
      readOnly: new Set(['hs_object_id', 'createdate', 'hs_lastmodifieddate']),
      consentOwned: new Set(),
      unique: new Set(['hs_object_id']),
      searchable: ['name', 'domain', 'phone', 'website'],
    },
  ];
}

export function findObjectType(types: readonly HubSpotObjectType[], nameOrId: string): HubSpotObjectType | undefined {
  return types.find((t) => t.name === nameOrId || t.typeId === nameOrId || t.name === `${nameOrId}s`);
}
