/**
 * Transforms for merge tests: merge is handed their results, never the transforms themselves. Each is
 * invertible on its left domain (toLeft(toRight(x)) = x), as `concord validate` requires of two-way fields.
 */
import type { Converted } from '../../../../../src/engine/merge/index.js';
import { isEmptyValue } from '../../../../../src/engine/merge/index.js';

export interface TestTransform {
  name: string;
  toRight(v: unknown): Converted;
  toLeft(v: unknown): Converted;
}

const ok = (value: unknown): Converted => ({ ok: true, value });

export const identity: TestTransform = { name: 'identity', toRight: ok, toLeft: ok };

/** Left holds units, right holds hundredths (x -> x*100). A right value that is not a whole number of units has no left counterpart. */
export const hundredths: TestTransform = {
  name: 'x*100',
  toRight: (v) => {
    if (isEmptyValue(v)) return ok(v);
    return Number.isInteger(v) ? ok((v as number) * 100) : { ok: false, kind: 'invalid', message: `not a whole number: ${String(v)}` };
  },
  toLeft: (v) => {
    if (isEmptyValue(v)) return ok(v);
    return Number.isInteger(v) && (v as number) % 100 === 0
      ? ok((v as number) / 100 + 0) // + 0 turns -0 into 0
      : { ok: false, kind: 'unmapped', message: `${String(v)} is not a whole number of units` };
  },
};

const lower = (v: unknown): unknown => (typeof v === 'string' ? v.toLowerCase() : Array.isArray(v) ? v.map(lower) : v);

/** Left holds lowercase text, right any case; right -> left lowercases, left -> right keeps the text as it is. */
export const lowercaseIdentity: TestTransform = {
  name: 'lowercase/identity',
  toRight: ok,
  toLeft: (v) => ok(lower(v)),
};
