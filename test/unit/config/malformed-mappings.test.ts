/**
 * Every malformed mapping fixture under test/fixtures/mappings/malformed/<case>/ and exactly what
 * `concord validate` prints for it: file:line:col, code and message (paths shown relative to the case).
 * The fixtures are checked against test/fixtures/config/malformed-mapping-context.yaml.
 */
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatProblem } from '../../../src/config/problems.js';
import { checkWorkspace } from '../../../src/config/workspace.js';

const root = 'test/fixtures/mappings/malformed';

const expected: Record<string, string[]> = {
  'alias-bomb': [
    "hubspot-mailchimp.contacts.yaml:9:10  CONCORD_ERR_MAPPING_YAML_ALIASES  aliases expand more than 100 times (an alias bomb?): write the values out or use fewer aliases",
  ],
  'bad-cron': [
    "hubspot-mailchimp.contacts.yaml:8:7  CONCORD_ERR_MAPPING_BAD_CRON  poll: \"61 * * * *\" is not a valid cron expression (61 is an invalid expression for minute): expected 5 fields (minute hour day-of-month month day-of-week) or 6 with seconds first, e.g. \"*/5 * * * *\"",
  ],
  'bad-duration': [
    "hubspot-mailchimp.contacts.yaml:7:128  CONCORD_ERR_MAPPING_INVALID_VALUE  fields[0].conflict.after: \"2 days\" is not valid: expected a duration such as 30m, 48h or 7d",
  ],
  'bad-file-name': [
    "contacts.yaml:1:1  CONCORD_ERR_MAPPING_FILE_NAME  the file name \"contacts.yaml\" does not follow <left system>-<right system>.<object>.yaml: expected hubspot-mailchimp.<object>.yaml, where <object> is lowercase letters, digits, - or _",
  ],
  'bad-jsonata-filter': [
    "hubspot-mailchimp.contacts.yaml:8:42  CONCORD_ERR_MAPPING_BAD_JSONATA  filter.left: the JSONata expression does not compile at character 25: Expected \"]\" before end of expression",
  ],
  'bad-jsonata-transform': [
    "hubspot-mailchimp.contacts.yaml:7:114  CONCORD_ERR_MAPPING_BAD_JSONATA  fields[0].transform.jsonata: the JSONata expression does not compile at character 15: Unknown operator: \"~\"",
  ],
  'bad-system-id': [
    "Hub-Spot-mailchimp.contacts.yaml:3:17  CONCORD_ERR_MAPPING_INVALID_VALUE  left.system: \"Hub-Spot\" is not valid: expected a system id: lowercase letters and digits, no separators",
  ],
  'conflicting-writers': [
    "hubspot-mailchimp.vip.yaml:7:35  CONCORD_ERR_MAPPING_CONFLICTING_WRITERS  fields[0].right: mailchimp members field \"merge_fields.FNAME\" is also written by pair \"crm-marketing-contacts\" (hubspot-mailchimp.contacts.yaml:7:31): two pairs writing one field overwrite each other; make one of them read-only for it (direction), or mark exactly one owner: true",
  ],
  'custom-tag': [
    "hubspot-mailchimp.contacts.yaml:4:73  CONCORD_ERR_MAPPING_YAML_TAG  the YAML tag !secret is not allowed: write a plain string, number, boolean, list or map",
  ],
  'duplicate-key': [
    "hubspot-mailchimp.contacts.yaml:5:1  CONCORD_ERR_MAPPING_YAML_SYNTAX  duplicate key: a key may appear only once in a map",
  ],
  'duplicate-pair': [
    "hubspot-mailchimp.leads.yaml:2:7  CONCORD_ERR_MAPPING_DUPLICATE_PAIR  pair \"crm-marketing-contacts\" is already declared in hubspot-mailchimp.contacts.yaml:2:7: pair names must be unique, because links, audit and rollback are keyed by them",
  ],
  'empty-fields': [
    "hubspot-mailchimp.contacts.yaml:6:9  CONCORD_ERR_MAPPING_INVALID_VALUE  fields: expected at least 1 item(s), found 0",
  ],
  'empty-file': [
    "hubspot-mailchimp.contacts.yaml:1:1  CONCORD_ERR_MAPPING_MISSING_KEY  missing required key \"schema_version\": expected 1",
    "hubspot-mailchimp.contacts.yaml:1:1  CONCORD_ERR_MAPPING_MISSING_KEY  missing required key \"pair\": expected a string",
    "hubspot-mailchimp.contacts.yaml:1:1  CONCORD_ERR_MAPPING_MISSING_KEY  missing required key \"left\": expected a map",
    "hubspot-mailchimp.contacts.yaml:1:1  CONCORD_ERR_MAPPING_MISSING_KEY  missing required key \"right\": expected a map",
    "hubspot-mailchimp.contacts.yaml:1:1  CONCORD_ERR_MAPPING_MISSING_KEY  missing required key \"match\": expected a map or a list",
    "hubspot-mailchimp.contacts.yaml:1:1  CONCORD_ERR_MAPPING_MISSING_KEY  missing required key \"fields\": expected a list",
  ],
  'env-outside-params': [
    "hubspot-mailchimp.contacts.yaml:7:31  CONCORD_ERR_MAPPING_INTERPOLATION_PLACE  \"${FNAME_FIELD}\" uses ${...}, but environment variables are read only in left.params and right.params: write the value literally (or $${ for a literal ${)",
  ],
  'fields-not-a-list': [
    "hubspot-mailchimp.contacts.yaml:7:3  CONCORD_ERR_MAPPING_INVALID_VALUE  fields: expected a list, found a map (keys: left, right)",
  ],
  'file-name-mismatch': [
    "hubspot-mailchimp.contacts.yaml:4:18  CONCORD_ERR_MAPPING_FILE_NAME  the file name \"hubspot-mailchimp.contacts.yaml\" says right system \"mailchimp\" but right.system is \"quickbooks\": rename the file to hubspot-quickbooks.contacts.yaml or fix right.system",
  ],
  'jsonata-two-way': [
    "hubspot-mailchimp.contacts.yaml:8:78  CONCORD_ERR_MAPPING_JSONATA_TWO_WAY  fields[1]: a jsonata transform cannot be inverted, so it is allowed only on a one-way field: set direction to left-to-right or right-to-left",
  ],
  'missing-match': [
    "hubspot-mailchimp.contacts.yaml:1:1  CONCORD_ERR_MAPPING_MISSING_KEY  missing required key \"match\": expected a map or a list",
  ],
  'misspelt-direction': [
    "hubspot-mailchimp.contacts.yaml:7:62  CONCORD_ERR_MAPPING_INVALID_VALUE  fields[0].direction: \"bth\" is not allowed (did you mean \"both\"?); allowed: both, left-to-right, right-to-left",
  ],
  'misspelt-fallback': [
    "hubspot-mailchimp.contacts.yaml:7:108  CONCORD_ERR_MAPPING_INVALID_VALUE  fields[0].conflict.fallback: \"prefer-lef\" is not allowed (did you mean \"prefer-left\"?); allowed: prefer-left, prefer-right, last-write-wins, merge-set, sum-deltas, fill-empty, max, min",
  ],
  'misspelt-strategy': [
    "hubspot-mailchimp.contacts.yaml:7:78  CONCORD_ERR_MAPPING_INVALID_VALUE  fields[0].conflict: \"last-write-win\" is not allowed (did you mean \"last-write-wins\"?); allowed: prefer-left, prefer-right, last-write-wins, manual, merge-set, sum-deltas, fill-empty, max, min",
  ],
  'misspelt-transform': [
    "hubspot-mailchimp.contacts.yaml:7:106  CONCORD_ERR_MAPPING_INVALID_VALUE  fields[0].transform: \"lowercse\" is not allowed (did you mean \"lowercase\"?); allowed: lowercase, uppercase, trim, email, phone_e164, rrule, event_time, timezone, boolean_string",
  ],
  'non-invertible-map': [
    "hubspot-mailchimp.contacts.yaml:11:23  CONCORD_ERR_TRANSFORM_NOT_INVERTIBLE  field hs_email_optout <-> status has direction both, but transform map does not round-trip: the map is not one-to-one: \"false\" and \"no\" all map to \"subscribed\"; the field would flap. Make the transform round-trip or make the field one-way",
  ],
  'proto-key': [
    "hubspot-mailchimp.contacts.yaml:5:1  CONCORD_ERR_MAPPING_FORBIDDEN_KEY  the key \"__proto__\" is not allowed: __proto__, constructor and prototype are refused so that no value can reach an object prototype",
  ],
  'schema-version': [
    "hubspot-mailchimp.contacts.yaml:1:17  CONCORD_ERR_MAPPING_INVALID_VALUE  schema_version: expected 1, found 2",
  ],
  'tab-indent': [
    "hubspot-mailchimp.contacts.yaml:5:1  CONCORD_ERR_MAPPING_YAML_SYNTAX  a tab is used for indentation: YAML indents with spaces only",
    "hubspot-mailchimp.contacts.yaml:6:1  CONCORD_ERR_MAPPING_YAML_SYNTAX  a tab is used for indentation: YAML indents with spaces only",
  ],
  'two-documents': [
    "hubspot-mailchimp.contacts.yaml:8:1  CONCORD_ERR_MAPPING_YAML_SYNTAX  the file holds several YAML documents (---); one document per file is allowed",
  ],
  'transform-two-keys': [
    "hubspot-mailchimp.contacts.yaml:8:58  CONCORD_ERR_MAPPING_INVALID_VALUE  fields[1].transform: a map (keys: map, number) is not valid: expected a transform with exactly one key: map, number, date, lookup, jsonata or phone_e164",
  ],
  'two-owners': [
    "hubspot-mailchimp.vip.yaml:7:35  CONCORD_ERR_MAPPING_CONFLICTING_WRITERS  fields[0].right: mailchimp members field \"merge_fields.FNAME\" is also written by pair \"crm-marketing-contacts\" (hubspot-mailchimp.contacts.yaml:7:31) (2 of them say owner: true; exactly one may): two pairs writing one field overwrite each other; make one of them read-only for it (direction), or mark exactly one owner: true",
  ],
  'unknown-field-key': [
    "hubspot-mailchimp.contacts.yaml:10:5  CONCORD_ERR_MAPPING_UNKNOWN_KEY  unknown key \"confict\" in fields[1] (did you mean \"conflict\"?); allowed keys: left, right, direction, conflict, transform, key, owner",
  ],
  'unknown-lookup': [
    "hubspot-quickbooks.invoices.yaml:7:98  CONCORD_ERR_MAPPING_UNKNOWN_LOOKUP  fields[0].transform.lookup: no mapping file declares pair \"companies-customer\"; declared pairs: deals-invoices",
  ],
  'unknown-system': [
    "hubspot-mailchimpp.contacts.yaml:4:18  CONCORD_ERR_MAPPING_UNKNOWN_SYSTEM  right.system: \"mailchimpp\" is not a system of the daemon config (did you mean \"mailchimp\"?); configured systems: hubspot, mailchimp, quickbooks (add it under systems, with enabled: false to keep it off)",
  ],
  'unknown-top-key': [
    "hubspot-mailchimp.contacts.yaml:6:1  CONCORD_ERR_MAPPING_UNKNOWN_KEY  unknown key \"fileds\" (did you mean \"fields\"?); allowed keys: schema_version, pair, left, right, priority, match, create, delete, fields, filter, poll, reconcile, guard",
  ],
  'unset-env-param': [
    "hubspot-mailchimp.contacts.yaml:4:66  CONCORD_ERR_MAPPING_ENV_UNSET  environment variable MAILCHIMP_LIST_ID is not set (used as ${MAILCHIMP_LIST_ID}): set it, or give a default with ${MAILCHIMP_LIST_ID:-default}",
  ],
  'yaml-syntax': [
    "hubspot-mailchimp.contacts.yaml:2:7  CONCORD_ERR_MAPPING_YAML_SYNTAX  this quoted string is never closed: add the closing quote",
  ],
  'yes-not-boolean': [
    "hubspot-mailchimp.contacts.yaml:5:21  CONCORD_ERR_MAPPING_INVALID_VALUE  create.to_right: expected true or false, found \"yes\" (YAML 1.2 reads yes/no/on/off as text: write true or false)",
  ],
  'yml-extension': [
    "hubspot-mailchimp.contacts.yml:1:1  CONCORD_ERR_MAPPING_FILE_NAME  the file name \"hubspot-mailchimp.contacts.yml\" does not follow <left system>-<right system>.<object>.yaml: expected hubspot-mailchimp.<object>.yaml, where <object> is lowercase letters, digits, - or _",
  ],
};

async function validateCase(name: string): Promise<string[]> {
  const result = await checkWorkspace({
    configPath: 'test/fixtures/config/malformed-mapping-context.yaml', env: {}, paths: [`${root}/${name}`],
  });
  return result.problems.map((p) => formatProblem(p).replaceAll(`${root}/${name}/`, ''));
}

describe('malformed mapping files', () => {
  it('every fixture directory has its expected output here, and there are at least 30', () => {
    expect(readdirSync(root).sort()).toEqual(Object.keys(expected).sort());
    expect(Object.keys(expected).length).toBeGreaterThanOrEqual(30);
  });

  for (const [name, lines] of Object.entries(expected)) {
    it(name, async () => {
      expect(await validateCase(name)).toEqual(lines);
    });
  }
});
