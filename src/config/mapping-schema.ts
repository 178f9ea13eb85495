/**
 * The mapping file format (DESIGN §5), schema_version 1. One zod schema gives the types, the
 * validation and the JSON Schema editors use (`concord schema`). Unknown keys are errors.
 */
import { z } from 'zod';

export const systemIdPattern = /^[a-z][a-z0-9]*$/;
export const pairNamePattern = /^[a-z0-9][a-z0-9-]*$/;

export const directions = ['both', 'left-to-right', 'right-to-left'] as const;
export const strategies = [
  'prefer-left', 'prefer-right', 'last-write-wins', 'manual', 'merge-set', 'sum-deltas', 'fill-empty', 'max', 'min',
] as const;
/** Strategies a `manual` conflict may fall back to. */
export const fallbackStrategies = strategies.filter((s) => s !== 'manual');
export const deletePolicies = ['propagate', 'archive', 'unlink', 'ignore'] as const;
export const normalizers = ['email', 'phone', 'sku', 'lowercase', 'trim', 'exact', 'inn'] as const;
/** Transforms written as a bare name. */
export const namedTransforms = ['lowercase', 'uppercase', 'trim', 'email', 'phone_e164', 'rrule', 'event_time', 'timezone', 'boolean_string'] as const;

const duration = z.string().regex(/^\d+(ms|s|m|h|d)$/, 'a duration such as 30m, 48h or 7d');

const side = z.strictObject({
  system: z.string().regex(systemIdPattern, 'a system id: lowercase letters and digits, no separators')
    .describe('A system of the daemon config (hubspot, mailchimp, googlecalendar, msgraph, onec, ...).'),
  object: z.string().min(1).describe('The object of that system: contacts, members, deals, invoices, events, Catalog_Номенклатура, ...'),
  params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional()
    .describe('Object parameters for the connector (list_id, calendar_id, location_id); values may use ${VAR} or ${VAR:-default}.'),
});

const matchKey = z.strictObject({
  left: z.string().min(1).describe('Field path on the left side.'),
  right: z.string().min(1).describe('Field path on the right side.'),
  normalize: z.enum(normalizers).optional().describe('How both values are normalised before comparing. Default is exact.'),
}).describe('An identity key: records whose normalised values agree are linked.');

const conflict = z.union([
  z.enum(strategies),
  z.strictObject({
    strategy: z.enum(strategies),
    fallback: z.enum(fallbackStrategies as [string, ...string[]]).optional(),
    after: duration.optional(),
  }),
]);

const transformObject = z.strictObject({
  map: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).optional(),
  number: z.strictObject({
    scale: z.number().int().min(0).max(12).optional().describe('Decimal places kept.'),
    as: z.enum(['number', 'text']).optional().describe('What the right side holds: a number (default) or its decimal text.'),
  }).optional(),
  date: z.strictObject({
    format: z.enum(['iso', 'date', 'epoch_ms', 'epoch_s']).optional(),
    zone: z.string().optional(),
    to_zone: z.string().optional(),
  }).optional(),
  lookup: z.string().regex(pairNamePattern, 'a pair name: lowercase letters, digits and dashes').optional()
    .describe('Translate a reference through the links of this pair (a record whose reference is not linked yet waits).'),
  jsonata: z.string().min(1).optional().describe('A JSONata expression with the source value as $; one-way fields only.'),
  phone_e164: z.strictObject({
    region: z.string().regex(/^[A-Z]{2}$/, 'an ISO country code such as US, GB, DE').optional()
      .describe('Country for numbers written without +.'),
  }).optional(),
}).refine((t) => Object.values(t).filter((v) => v !== undefined).length === 1, {
  message: 'a transform with exactly one key: map, number, date, lookup, jsonata or phone_e164',
});

const transformOne = z.union([z.enum(namedTransforms), transformObject]);
export const transformSchema = z.union([transformOne, z.array(transformOne).min(1)])
  .describe('A transform name, an object with one key (map, number, date, lookup, jsonata, phone_e164), or a list applied in order. Two-way fields need invertible transforms.');

export const fieldSchema = z.strictObject({
  left: z.string().min(1).describe('Field path on the left side: dots and indexes (merge_fields.FNAME, Line[0].Amount).'),
  right: z.string().min(1).describe('Field path on the right side.'),
  direction: z.enum(directions).default('both').describe('Which way the field syncs. Default is both.'),
  conflict: conflict.default('last-write-wins')
    .describe('How a change on both sides since the last agreement is settled. Default is last-write-wins.'),
  transform: transformSchema.optional(),
  /** For lists of objects merged as sets: the key that identifies an item (attendees by email). */
  key: z.string().min(1).optional(),
  /** Declares which pair owns a field that several pairs write. */
  owner: z.boolean().optional(),
});

export const mappingSchema = z.strictObject({
  schema_version: z.literal(1),
  pair: z.string().regex(pairNamePattern, 'lowercase letters, digits and dashes')
    .describe('Unique name of this pair; links, audit and rollback are keyed by it.'),
  left: side,
  right: side,
  /** Which side wins a last-write-wins tie. Default is left. */
  priority: z.enum(['left', 'right']).default('left'),
  match: z.union([matchKey, z.array(matchKey).min(1)]).describe('Identity: one key, or several tried in order.'),
  create: z.strictObject({ to_right: z.boolean().default(false), to_left: z.boolean().default(false) })
    .default({ to_right: false, to_left: false }).describe('Whether an unlinked record is created on the other side. Default is neither.'),
  delete: z.enum(deletePolicies).default('unlink').describe('What a delete on one side does to the other. Default is unlink.'),
  fields: z.array(fieldSchema).min(1),
  filter: z.strictObject({ left: z.string().min(1).optional(), right: z.string().min(1).optional() }).optional()
    .describe('JSONata conditions a record of that side must meet to sync.'),
  poll: z.string().min(1).default('*/5 * * * *').describe('Cron schedule of the fallback poll. Default is every 5 minutes.'),
  reconcile: z.string().min(1).default('0 3 * * *').describe('Cron schedule of the id/hash reconciliation. Default is 03:00 daily.'),
  guard: z.strictObject({
    /** Share of a pair's records one pass may delete or blank before the pair is paused. Default is 0.1. */
    max_change_share: z.number().min(0).max(1).default(0.1),
  }).default({ max_change_share: 0.1 }),
});

export type MappingFile = z.output<typeof mappingSchema>;
export type MappingField = z.output<typeof fieldSchema>;
export type TransformSpec = z.output<typeof transformSchema>;
export type Direction = (typeof directions)[number];
export type Strategy = (typeof strategies)[number];
export type DeletePolicy = (typeof deletePolicies)[number];
