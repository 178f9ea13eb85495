/**
 * Record filters (`filter: { left: "dealstage = 'closedwon'" }`): JSONata compiled once, evaluated with the
 * record's fields as `$`. A record passes when the expression yields true; false or no result (the fields it
 * names are absent) keeps it out. An evaluation error or any other result is a `CONCORD_ERR_TRANSFORM_FILTER_FAILED`
 * error, never a silent pass: `evaluateFilter` returns it as a value, the bound `filter.left/right` functions
 * reject with it as a ConcordError, so the engine holds the record instead of syncing or skipping it by accident.
 */
import type jsonata from 'jsonata';
import { ConcordError } from '../shared/errors/error.js';
import type { Side } from './compiled-types.js';
import { describeValue } from './transforms/converted.js';
import { describeJsonataError } from './transforms/jsonata.js';

export type FilterVerdict =
  | { ok: true; pass: boolean }
  | { ok: false; code: 'CONCORD_ERR_TRANSFORM_FILTER_FAILED'; message: string };

export interface FilterSource {
  pair: string;
  file: string;
  side: Side;
  text: string;
}

export async function evaluateFilter(
  expression: jsonata.Expression,
  source: FilterSource,
  fields: Record<string, unknown>,
): Promise<FilterVerdict> {
  const where = `${source.file}: filter.${source.side} of pair ${source.pair} (${JSON.stringify(source.text)})`;
  let result: unknown;
  try {
    result = await expression.evaluate(fields);
  } catch (error) {
    return { ok: false, code: 'CONCORD_ERR_TRANSFORM_FILTER_FAILED', message: `${where} failed: ${describeJsonataError(error)}` };
  }
  if (result === undefined || typeof result === 'boolean') return { ok: true, pass: result === true };
  return {
    ok: false,
    code: 'CONCORD_ERR_TRANSFORM_FILTER_FAILED',
    message: `${where} must yield true or false, but gave ${describeValue(result)}; compare with = or wrap it in $boolean()`,
  };
}

export function bindFilter(expression: jsonata.Expression, source: FilterSource) {
  return async (fields: Record<string, unknown>): Promise<boolean> => {
    const verdict = await evaluateFilter(expression, source, fields);
    if (!verdict.ok) throw new ConcordError(verdict.code, verdict.message, { pair: source.pair, side: source.side });
    return verdict.pass;
  };
}
