import { describe, expect, it } from 'vitest';
import { bindFilter, evaluateFilter } from '../../../src/mapping/filter.js';
import { compileExpression } from '../../../src/mapping/transforms/jsonata.js';
import { isConcordError } from '../../../src/shared/errors/index.js';

function expressionOf(text: string) {
  const c = compileExpression(text);
  if (!c.ok) throw new Error(c.message);
  return c.expression;
}

const source = (text: string) => ({ pair: 'deals-invoices', file: 'mappings/hubspot-quickbooks.deals.yaml', side: 'left' as const, text });

describe('filters', () => {
  it('pass records for which the expression is true and keep out the rest', async () => {
    const text = "lifecyclestage in ['lead', 'customer']";
    const f = bindFilter(expressionOf(text), source(text));
    expect(await f({ lifecyclestage: 'lead' })).toBe(true);
    expect(await f({ lifecyclestage: 'subscriber' })).toBe(false);
  });

  it('keep out a record that lacks the fields the expression names', async () => {
    const text = "dealstage = 'closedwon'";
    expect(await evaluateFilter(expressionOf(text), source(text), {})).toEqual({ ok: true, pass: false });
  });

  it('report an expression that gives something other than true or false as an error value, not a pass', async () => {
    const text = 'dealname';
    const verdict = await evaluateFilter(expressionOf(text), source(text), { dealname: 'Big deal' });
    expect(verdict).toEqual({
      ok: false,
      code: 'CONCORD_ERR_TRANSFORM_FILTER_FAILED',
      message: 'mappings/hubspot-quickbooks.deals.yaml: filter.left of pair deals-invoices ("dealname") must yield true or false, but gave "Big deal"; compare with = or wrap it in $boolean()',
    });
  });

  it('report an evaluation error with where it happened; the bound filter rejects with a coded error', async () => {
    const text = '$number(amount) > 1000';
    const verdict = await evaluateFilter(expressionOf(text), source(text), { amount: 'lots' });
    expect(verdict).toMatchObject({ ok: false, code: 'CONCORD_ERR_TRANSFORM_FILTER_FAILED' });
    expect(verdict.ok ? '' : verdict.message).toContain('filter.left of pair deals-invoices');
    const error = await bindFilter(expressionOf(text), source(text))({ amount: 'lots' }).catch((e: unknown) => e);
    expect(isConcordError(error) && error.code).toBe('CONCORD_ERR_TRANSFORM_FILTER_FAILED');
  });
});
