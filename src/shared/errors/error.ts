/**
 * Every error a user can see carries a code `CONCORD_ERR_<AREA>_<DETAIL>` registered in one of the
 * area files beside this one. The README's error table is checked against the registry by a test.
 */
export interface ErrorDefinition {
  /** What went wrong, in one sentence an admin understands. */
  readonly meaning: string;
  /** What to do about it. */
  readonly action: string;
}

export type ErrorRegistry = Record<`CONCORD_ERR_${string}`, ErrorDefinition>;

export function defineErrors<const T extends ErrorRegistry>(defs: T): T {
  return defs;
}

export class ConcordError extends Error {
  override readonly name = 'ConcordError';
  constructor(
    readonly code: `CONCORD_ERR_${string}`,
    message: string,
    readonly details: Record<string, unknown> = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function isConcordError(value: unknown): value is ConcordError {
  return value instanceof ConcordError;
}
