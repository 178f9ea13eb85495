/**
 * Binds a field's `transform` (a name, an object with one key, or a list of those) to a CompiledTransform, and
 * reports what cannot be bound with the path of the offending node. Every transform Concord has is listed here.
 */
import type { TransformSpec } from '../../config/mapping-schema.js';
import type { CompiledTransform } from '../compiled-types.js';
import type { MappingProblem } from '../problems.js';
import { createBooleanString } from './boolean-string.js';
import { createChain } from './chain.js';
import { describeValue } from './converted.js';
import { createDate, dateFormats, isKnownZone, type DateOptions } from './date.js';
import { createEmail } from './email.js';
import { createIdentity } from './identity.js';
import { compileExpression, createJsonata } from './jsonata.js';
import { createLookup } from './lookup.js';
import { createLowercase } from './lowercase.js';
import { createMap, type MapScalar } from './map.js';
import { createNumber, type NumberOptions } from './number.js';
import { createPhoneE164, isKnownRegion } from './phone-e164.js';
import { createTrim } from './trim.js';
import { createUppercase } from './uppercase.js';

/** What a value looks like after a step, for the strategy checks (sum-deltas needs numbers, ...). */
export type ValueKind = 'number' | 'date' | 'text' | 'any';

export interface BoundStep {
  /** The transform's key or name: `map`, `number`, `lowercase`, `jsonata`, `rrule`, ... */
  kind: string;
  produces: ValueKind;
  path: (string | number)[];
  transform: CompiledTransform;
}

export type BoundTransform =
  | { ok: true; transform: CompiledTransform; steps: BoundStep[] }
  | { ok: false; problems: MappingProblem[] };

const simpleNamed: Record<string, { create: () => CompiledTransform; produces: ValueKind }> = {
  lowercase: { create: createLowercase, produces: 'text' },
  uppercase: { create: createUppercase, produces: 'text' },
  trim: { create: createTrim, produces: 'text' },
  email: { create: createEmail, produces: 'text' },
  phone_e164: { create: () => createPhoneE164(), produces: 'text' },
  boolean_string: { create: createBooleanString, produces: 'text' },
};
const calendarNames = ['rrule', 'event_time', 'timezone'] as const;

/**
 * The calendar transforms live in ./calendar/ and pull in the rrule package. They are loaded here so that a failure
 * to load them costs only the three calendar names (reported as not available, with the reason), never every
 * mapping and every command that compiles one.
 */
const calendar = await import('./calendar/index.js').then(
  (m) => ({ ok: true as const, transforms: m.calendarTransforms }),
  (error: unknown) => ({ ok: false as const, reason: error instanceof Error ? error.message : String(error) }),
);
const objectKeys = ['map', 'number', 'date', 'lookup', 'jsonata', 'phone_e164'];

export function availableTransformNames(): string[] {
  return [...Object.keys(simpleNamed), ...(calendar.ok ? calendarNames : []), ...objectKeys.map((k) => `{ ${k}: ... }`)];
}

type StepResult = { ok: true; step: BoundStep } | { ok: false; problem: MappingProblem };

function unavailable(path: (string | number)[], what: string): StepResult {
  return {
    ok: false,
    problem: {
      path,
      code: 'CONCORD_ERR_TRANSFORM_UNAVAILABLE',
      message: `transform ${what} is not available in this build; available: ${availableTransformNames().join(', ')}`,
    },
  };
}

function badOption(path: (string | number)[], message: string): StepResult {
  return { ok: false, problem: { path, code: 'CONCORD_ERR_TRANSFORM_BAD_OPTION', message } };
}

function bindNamed(name: string, path: (string | number)[]): StepResult {
  const simple = simpleNamed[name];
  if (simple) return { ok: true, step: { kind: name, produces: simple.produces, path, transform: simple.create() } };
  if ((calendarNames as readonly string[]).includes(name)) {
    if (!calendar.ok) return unavailable(path, `"${name}" (the calendar transforms failed to load: ${calendar.reason})`);
    const transform = calendar.transforms[name as (typeof calendarNames)[number]]();
    return { ok: true, step: { kind: name, produces: 'any', path, transform } };
  }
  return unavailable(path, `"${name}"`);
}

function bindObject(spec: Record<string, unknown>, base: (string | number)[]): StepResult {
  const entries = Object.entries(spec).filter(([, v]) => v !== undefined);
  const [key, option] = entries[0] ?? [];
  if (entries.length !== 1 || key === undefined) {
    return unavailable(base, `with keys ${describeValue(Object.keys(spec))} (a transform object has exactly one key)`);
  }
  const path = [...base, key];
  const step = (produces: ValueKind, transform: CompiledTransform): StepResult => ({ ok: true, step: { kind: key, produces, path, transform } });
  switch (key) {
    case 'map':
      return step('any', createMap(option as Record<string, MapScalar>));
    case 'number': {
      // `as: text` is read here ahead of the schema, which may not list it yet (see number.ts for why it exists).
      const options = (option ?? {}) as NumberOptions;
      if (options.as !== undefined && options.as !== 'number' && options.as !== 'text') {
        return badOption([...path, 'as'], `number as ${describeValue(options.as)} is not known; allowed: number, text`);
      }
      return step(options.as === 'text' ? 'text' : 'number', createNumber(options));
    }
    case 'date': {
      const options = option as DateOptions;
      if (options.format !== undefined && !dateFormats.includes(options.format)) {
        return badOption([...path, 'format'], `date format ${describeValue(options.format)} is not known; allowed: ${dateFormats.join(', ')}`);
      }
      for (const zoneKey of ['zone', 'to_zone'] as const) {
        const zone = options[zoneKey];
        if (zone !== undefined && !isKnownZone(zone)) {
          return badOption([...path, zoneKey], `time zone "${zone}" is not an IANA zone name; use names such as UTC, Europe/Berlin, America/New_York`);
        }
      }
      return step(options.format === 'date' || options.format === 'iso' || options.format === undefined ? 'date' : 'number', createDate(options));
    }
    case 'lookup':
      return step('text', createLookup(String(option)));
    case 'jsonata': {
      const compiled = compileExpression(String(option));
      if (!compiled.ok) return { ok: false, problem: { path, code: 'CONCORD_ERR_TRANSFORM_JSONATA_SYNTAX', message: compiled.message } };
      return step('any', createJsonata(String(option), compiled.expression));
    }
    case 'phone_e164': {
      // `{ phone_e164: { region: GB } }` gives national numbers a country; the bare name accepts only + numbers.
      const region = (option as { region?: unknown } | null)?.region;
      if (region !== undefined && (typeof region !== 'string' || !isKnownRegion(region))) {
        return badOption([...path, 'region'], `phone region ${describeValue(region)} is not known; use an ISO country code such as US, GB, DE, RU`);
      }
      return step('text', createPhoneE164({ region: region as string | undefined }));
    }
    default:
      return unavailable(path, `"${key}"`);
  }
}

function bindOne(spec: unknown, path: (string | number)[]): StepResult {
  if (typeof spec === 'string') return bindNamed(spec, path);
  if (typeof spec === 'object' && spec !== null && !Array.isArray(spec)) return bindObject(spec as Record<string, unknown>, path);
  return unavailable(path, describeValue(spec));
}

/** Binds `spec` found at `path` of the mapping document; no spec is the identity. */
export function bindTransform(spec: TransformSpec | undefined, path: (string | number)[]): BoundTransform {
  if (spec === undefined) return { ok: true, transform: createIdentity(), steps: [] };
  const list: unknown[] = Array.isArray(spec) ? spec : [spec];
  const results = list.map((one, i) => bindOne(one, Array.isArray(spec) ? [...path, i] : path));
  const problems = results.flatMap((r) => (r.ok ? [] : [r.problem]));
  if (problems.length > 0) return { ok: false, problems };
  const steps = results.map((r) => (r as { ok: true; step: BoundStep }).step);
  const transform = steps.length === 1 ? steps[0]!.transform : createChain(steps.map((s) => s.transform));
  return { ok: true, transform, steps };
}
