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
  system: z.string().regex(systemIdPattern, 'a system id: lowercase letters and digits, no separators'),
  object: z.string().min(1),
  params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
});

const matchKey = z.strictObject({
  left: z.string().min(1),
  right: z.string().min(1),
  normalize: z.enum(normalizers).optional(),
});

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
  number: z.strictObject({ scale: z.number().int().min(0).max(12).optional() }).optional(),
  date: z.strictObject({
    format: z.enum(['iso', 'date', 'epoch_ms', 'epoch_s']).optional(),
    zone: z.string().optional(),
    to_zone: z.string().optional(),
  }).optional(),
  lookup: z.string().regex(pairNamePattern).optional(),
  jsonata: z.string().min(1).optional(),
}).refine((t) => Object.values(t).filter((v) => v !== undefined).length === 1, {
  message: 'a transform with exactly one key: map, number, date, lookup or jsonata',
});

const transformOne = z.union([z.enum(namedTransforms), transformObject]);
export const transformSchema = z.union([transformOne, z.array(transformOne).min(1)]);

export const fieldSchema = z.strictObject({
  left: z.string().min(1),
  right: z.string().min(1),
  direction: z.enum(directions).default('both'),
  conflict: conflict.default('last-write-wins'),
  transform: transformSchema.optional(),
  /** For lists of objects merged as sets: the key that identifies an item (attendees by email). */
  key: z.string().min(1).optional(),
  /** Declares which pair owns a field that several pairs write. */
  owner: z.boolean().optional(),
});

export const mappingSchema = z.strictObject({
  schema_version: z.literal(1),
  pair: z.string().regex(pairNamePattern, 'lowercase letters, digits and dashes'),
  left: side,
  right: side,
  /** Which side wins a last-write-wins tie. Default is left. */
  priority: z.enum(['left', 'right']).default('left'),
  match: z.union([matchKey, z.array(matchKey).min(1)]),
  create: z.strictObject({ to_right: z.boolean().default(false), to_left: z.boolean().default(false) }).default({ to_right: false, to_left: false }),
  delete: z.enum(deletePolicies).default('unlink'),
  fields: z.array(fieldSchema).min(1),
  filter: z.strictObject({ left: z.string().min(1).optional(), right: z.string().min(1).optional() }).optional(),
  poll: z.string().min(1).default('*/5 * * * *'),
  reconcile: z.string().min(1).default('0 3 * * *'),
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
