/**
 * The public types of the three-way field merge (DESIGN §2 step 4, §5). `merge(input)` is pure and
 * synchronous: it is handed both sides' current values, their conversions into the other side's
 * representation (already computed by the caller: merge never calls a transform), and the base, the
 * last values both sides agreed on. It returns one decision per field, the writes they need and the
 * base to store once those writes have succeeded.
 *
 * Values are compared and decided in the LEFT space: every value a decision carries is in the left
 * side's representation. The caller converts a value bound for the right side with the field's
 * `toRight` before writing it, and hands the converted raw values back to `finalizeBase`.
 */
import type { CompiledField, Converted, Side } from '../../mapping/compiled-types.js';
import type { Strategy } from '../../config/mapping-schema.js';

export type { Converted, Side };

/** A strategy that settles a conflict by itself (every strategy but `manual`). */
export type SettlingStrategy = Exclude<Strategy, 'manual'>;

/**
 * What merge needs of a compiled field. `CompiledField` satisfies it; the transform is not part of it
 * because merge must not call transforms.
 */
export type MergeRule = Pick<CompiledField, 'id' | 'left' | 'right' | 'direction' | 'strategy' | 'fallback' | 'fallbackAfterMs' | 'key'>;

/** One side's record as read now. */
export interface SideRecord {
  /** The record's version (etag, SyncToken, DataVersion, updatedAt). Equal versions mean an unchanged record. */
  version: string;
  /** ISO-8601 time of the record's last modification. */
  modifiedAt: string;
}

/** A side's record version and modification time at the time the base was stored. */
export interface SideVersion {
  version: string;
  modifiedAt: string;
}

/** One field of one side in the base: the raw value both sides agreed on, as that side holds it. */
export interface FieldBaseSide {
  /** The side's raw value (its own representation) when the base was stored. */
  value: unknown;
  /**
   * The side's record version at which `value` was read, or null when unknown (the value was written by
   * Concord and the version after the write is not known yet). When the current record version equals
   * it, the field is unchanged on that side without comparing values; null always compares values.
   */
  version: string | null;
  /** When the side last changed this field, as far as Concord knows (per-field time, else record time). */
  changedAt: string | null;
  /**
   * Set when `value` is what Concord decided for this side but its write did not land, while the other side's
   * write of the same decision did (a per-item failure, a stale-version answer). The other side then holds the
   * agreed value; this side still holds what it held when that value was decided. The next merge counts this
   * side's own changes from `held` (so no delta is counted twice and no removal is undone) and re-sends the
   * agreed value. Absent otherwise.
   */
  pending?: PendingWrite;
}

/** What a side held when the agreed value that did not reach it was decided. */
export interface PendingWrite {
  /** The side's raw value then. */
  held: unknown;
  /** `held` in left space (for the right side: as converted by the merge that decided). */
  heldAsLeft: unknown;
}

export interface FieldBase {
  left: FieldBaseSide;
  right: FieldBaseSide;
}

/**
 * The shadow of one link: what both sides last agreed on. A field without an entry has no base (a new
 * link, a field new in the mapping, or a field held as a manual conflict since the link was made).
 */
export interface MergeBase {
  /** Each side's record version and time when the base was last stored; a read older than this is stale. */
  left: SideVersion;
  right: SideVersion;
  fields: Record<string, FieldBase>;
  /**
   * Writes a side refused for good (a `validation` or `permanent` answer), by field id and side. Merge ignores
   * them; the engine does not send the same value to that side again while the side still holds what it held
   * when it refused (see `process/refused-writes.ts`). Absent when there are none.
   */
  refused?: Record<string, Partial<Record<Side, RefusedWrite>>>;
}

/** A write of one field a side refused for good: resending the same value would only be refused again. */
export interface RefusedWrite {
  /** The raw value (the side's representation) that was refused. */
  value: unknown;
  /** The side's raw value when it refused (null when it had none): a change of it means someone acted there. */
  held: unknown;
  /** The side's answer: error kind and message. */
  reason: string;
  /** When it refused (ISO-8601, engine clock). */
  at: string;
}

/** One mapped field as the caller hands it to merge. */
export interface FieldInput {
  rule: MergeRule;
  /** The left side's raw value (missing fields are `undefined`). */
  left: unknown;
  /** The right side's raw value. */
  right: unknown;
  /** toRight(left), computed by the caller. */
  leftAsRight: Converted;
  /** toLeft(right), computed by the caller. */
  rightAsLeft: Converted;
  /** The left side's per-field change time (ISO-8601) where the connector gives one. */
  leftChangedAt?: string;
  /** The right side's per-field change time (ISO-8601) where the connector gives one. */
  rightChangedAt?: string;
}

export interface MergeInput {
  fields: FieldInput[];
  left: SideRecord;
  right: SideRecord;
  /** The stored base, or null for a link that has none yet. */
  base: MergeBase | null;
  /** Which side wins a last-write-wins tie (and the other ties documented per strategy). */
  priority: Side;
  /** Now, from the engine's clock: used for manual fallback timing and written-field times. */
  now: Date;
  /** Manual conflicts open on this link: field id -> when the conflict was opened (ISO-8601). */
  openConflicts?: Record<string, string>;
}

/** Why a value is propagated from one side to the other. */
export type PropagateReason =
  /** The source side changed since the base. */
  | 'changed'
  /** A one-way field's target was edited: it is set back to the converted source. */
  | 'target-edit-reverted'
  /** A new link (no base): one side was empty and receives the other's value. */
  | 'new-link'
  /** `fill-empty`: the target side was empty. */
  | 'filled'
  /**
   * A one-way field whose sides are unchanged since the base, yet the target does not hold the converted
   * source (the mapping changed): the target is brought back in line.
   */
  | 'repaired'
  /**
   * The agreed value of an earlier merge reached the other side only (its write here failed): it is written
   * again (see `FieldBaseSide.pending`).
   */
  | 'resent';

/** A manual conflict held on a field. */
export interface HeldConflict {
  field: string;
  /** When it was opened (ISO-8601): the open conflict's time, or `now` for a new one. */
  openedAt: string;
  /** True when this merge opens it: the caller stores a conflict row. */
  isNew: boolean;
  /** The strategy applied once `fallbackAt` has passed, if the rule names one. */
  fallback?: SettlingStrategy;
  fallbackAt?: string;
  /** Both sides' values in left space, as the operator chooses between them. */
  left: unknown;
  right: unknown;
}

/** What merge decided for one field. Every `value` is in LEFT space. */
export type FieldOutcome =
  /** Nothing changed, or the change leaves both sides agreeing already. */
  | { kind: 'none' }
  /** One side's value goes to the other side (`to`). */
  | { kind: 'propagate'; to: Side; value: unknown; reason: PropagateReason }
  /** Both sides changed to equal values: nothing to write, the base moves on. */
  | { kind: 'converge'; value: unknown }
  /** Both sides changed differently: the strategy settled it. `viaFallback` when a manual conflict timed out. */
  | { kind: 'settled'; strategy: SettlingStrategy; winner: Side | 'merged'; value: unknown; viaFallback: boolean }
  /**
   * `fill-empty` with two different non-empty values: each side keeps its own; nothing is written.
   * The one exception to "values are in left space": `left` and `right` are each side's raw value.
   */
  | { kind: 'kept'; left: unknown; right: unknown }
  /** `manual`: the field is held until an operator resolves it (or its fallback time passes). */
  | { kind: 'held'; conflict: HeldConflict }
  /**
   * `side`'s record was read at an older modification time than the base: its value is not trusted and
   * nothing is written for this field. The caller may read that side again.
   */
  | { kind: 'stale'; side: Side }
  /**
   * A value needed for the decision could not be converted (`side` is the side whose value failed),
   * or it is not of the kind the strategy works on (`invalid`): reported, the field is left alone.
   */
  | { kind: 'unmappable'; side: Side; reason: 'unmapped' | 'invalid'; message: string }
  /** A `lookup` reference is not linked yet: the whole record waits (see `MergeResult.ready`). */
  | { kind: 'waiting'; side: Side; message: string };

/** A value to write on one side, in LEFT space (convert with toRight for the right side). */
export interface FieldWrite {
  value: unknown;
}

export interface FieldDecision {
  /** The field's id (`CompiledField.id`). */
  field: string;
  outcome: FieldOutcome;
  /** The writes this decision needs, per side. */
  write: { left?: FieldWrite; right?: FieldWrite };
  /** Whether each side counted as changed since the base (a stale side never does). */
  changed: { left: boolean; right: boolean };
}

/**
 * The base merge proposes, before the writes. Fields whose right value is written carry no right raw
 * value yet: `finalizeBase` fills it in from the values the caller converted and wrote.
 */
export interface BaseDraft {
  left: SideVersion;
  right: SideVersion;
  fields: Record<string, FieldBase>;
  /** Fields whose right raw value is the caller's conversion of `write.right.value`. */
  pendingRight: string[];
  /** Fields written on each side by this merge: their versions become known only after the write. */
  written: { left: string[]; right: string[] };
  /** `now` of the merge, used as the change time of written fields. */
  at: string;
  /**
   * For each field written on both sides: what each side held when its value was decided. When one side's write
   * lands and the other's does not, the latter's entry becomes its `pending` marker (see `finalizeBase`).
   */
  held: Record<string, Record<Side, PendingWrite>>;
}

export interface MergeResult {
  /**
   * False when a field waits for a `lookup` reference to be linked: then the caller writes nothing and
   * stores nothing, and retries the record later (never written half). `fields` still shows what would
   * happen, for plans.
   */
  ready: boolean;
  /** Fields that wait for a reference (non-empty exactly when `ready` is false). */
  waitingOn: string[];
  fields: FieldDecision[];
  /** Whether any field is written on each side. */
  writes: { left: boolean; right: boolean };
  /** Sides whose read was stale (older than the base): the caller may read them again. */
  staleSides: Side[];
  /** Manual conflicts this merge opens (field ids): the caller stores a conflict row for each. */
  conflictsOpened: string[];
  /** Open conflicts (field ids) that no longer hold: the values now agree, one side gave way, or the fallback settled it. */
  conflictsClosed: string[];
  /** The base to store after the writes succeed (complete it with `finalizeBase`). */
  base: BaseDraft;
}
