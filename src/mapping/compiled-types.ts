/**
 * A mapping file compiled for the engine: paths resolved, transforms bound, defaults applied.
 * Produced by `compileMapping` (src/mapping/compile.ts), consumed by the engine.
 */
import type { DeletePolicy, Direction, Strategy } from '../config/mapping-schema.js';
import type { SystemId } from '../shared/ids.js';

export type Side = 'left' | 'right';

/** The result of converting a value from one side's representation to the other's. */
export type Converted =
  | { ok: true; value: unknown }
  /**
   * `unmapped`: the value has no counterpart (a `map` without that key): reported, never guessed.
   * `invalid`: the value cannot be read as the transform expects (not a number, bad date).
   * `waiting`: a `lookup` reference is not linked yet: the record waits and is retried, never written half.
   */
  | { ok: false; kind: 'unmapped' | 'invalid' | 'waiting'; message: string };

/** What transforms may consult, prefetched so that conversion stays synchronous where it can. */
export interface TransformContext {
  /** The id on the other side of `pair` for `id` on side `from`, or undefined when not linked. */
  lookup(pair: string, from: Side, id: string): string | undefined;
  /**
   * The fields of the record the converted value belongs to (for `toRight` the left record, for `toLeft` the right
   * one), where the caller has it: a transform whose meaning depends on another field of the same record (`rrule`
   * needs the event's start) reads it here. Absent when converting a value alone (`concord validate`).
   */
  readonly record?: Readonly<Record<string, unknown>>;
}

export interface CompiledTransform {
  /** e.g. `map`, `phone_e164`, `lookup:companies-customers`, or `a | b` for a chain. */
  readonly name: string;
  /**
   * True when the transform does not flap (required for two-way fields): for every value y that toRight can
   * produce, toRight(toLeft(y)) = y, and x = toLeft(y) gives toLeft(toRight(x)) = x. Once a value has crossed it
   * crosses back and forth unchanged. See src/mapping/TRANSFORMS.md.
   */
  readonly invertible: boolean;
  /** Why the transform is not invertible, when it is not. */
  readonly notInvertibleBecause?: string;
  toRight(value: unknown, ctx: TransformContext): Converted | Promise<Converted>;
  toLeft(value: unknown, ctx: TransformContext): Converted | Promise<Converted>;
}

export interface CompiledField {
  /** Stable id used in shadows, audit and conflicts: `<left path>~<right path>`. */
  readonly id: string;
  readonly left: string;
  readonly right: string;
  readonly direction: Direction;
  readonly strategy: Strategy;
  /** For `manual`: the strategy applied when nobody resolves the conflict within `fallbackAfterMs`. */
  readonly fallback?: Exclude<Strategy, 'manual'>;
  readonly fallbackAfterMs?: number;
  /** For keyed lists merged as sets (attendees by email). */
  readonly key?: string;
  readonly transform: CompiledTransform;
}

export interface MatchRule {
  left: string;
  right: string;
  normalize: (value: unknown) => string | undefined;
  normalizeName: string;
}

export interface CompiledSide {
  system: SystemId;
  object: string;
  params: Record<string, string>;
}

export interface CompiledMapping {
  readonly pair: string;
  /** The file it came from, for messages. */
  readonly file: string;
  readonly left: CompiledSide;
  readonly right: CompiledSide;
  /** Which side wins a last-write-wins tie. */
  readonly priority: Side;
  /** Identity keys, tried in order. */
  readonly match: MatchRule[];
  readonly create: { toRight: boolean; toLeft: boolean };
  readonly delete: DeletePolicy;
  readonly fields: CompiledField[];
  /** Whether a record of a side passes the pair's filter. Absent: every record passes. */
  readonly filter: Partial<Record<Side, (fields: Record<string, unknown>) => Promise<boolean>>>;
  readonly poll: string;
  readonly reconcile: string;
  readonly guard: { maxChangeShare: number };
}
