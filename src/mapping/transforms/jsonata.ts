/**
 * `jsonata: <expression>`: a computed value for a one-way field (`$ = 0 ? 'paid' : 'open'`). The expression is
 * compiled once, when the mapping is compiled, and evaluated with the source value as `$`: the left value on a
 * left-to-right field, the right value on a right-to-left field. No result (a path that matches nothing) is null.
 * A failing evaluation is `invalid` with JSONata's message.
 *
 * Not invertible: an expression has no inverse, so a jsonata transform is refused on two-way fields.
 */
import jsonata from 'jsonata';
import type { CompiledTransform, Converted } from '../compiled-types.js';
import { converted, invalid } from './converted.js';

export type CompiledExpression =
  | { ok: true; expression: jsonata.Expression }
  | { ok: false; message: string };

interface JsonataError {
  message?: string;
  position?: number;
  token?: string;
  code?: string;
}

export function describeJsonataError(error: unknown): string {
  const e = (error ?? {}) as JsonataError;
  const where = typeof e.position === 'number' ? ` at character ${e.position}` : '';
  return `${e.message ?? String(error)}${where}${e.code ? ` (JSONata ${e.code})` : ''}`;
}

/**
 * Guardrails for every expression: a runaway recursion stops at this depth, an endless loop (tail calls run
 * without growing the stack) after this long, with JSONata's D1011 / D1012 error, instead of stalling a worker.
 */
export const expressionLimits = { stack: 500, timeout: 5_000 } as const;

export function compileExpression(text: string): CompiledExpression {
  try {
    return { ok: true, expression: jsonata(text, expressionLimits) };
  } catch (error) {
    return { ok: false, message: `JSONata expression ${JSON.stringify(text)} does not compile: ${describeJsonataError(error)}` };
  }
}

export function createJsonata(text: string, expression: jsonata.Expression): CompiledTransform {
  const evaluate = async (value: unknown): Promise<Converted> => {
    try {
      const result: unknown = await expression.evaluate(value ?? null);
      return converted(result === undefined ? null : result);
    } catch (error) {
      return invalid(`jsonata ${JSON.stringify(text)} failed: ${describeJsonataError(error)}`);
    }
  };
  return {
    name: 'jsonata',
    invertible: false,
    notInvertibleBecause: 'a JSONata expression has no inverse',
    toRight: evaluate,
    toLeft: evaluate,
  };
}
