import { describe, expect, it } from 'vitest';
import { createBooleanString } from '../../../../src/mapping/transforms/boolean-string.js';
import { createChain } from '../../../../src/mapping/transforms/chain.js';
import { createJsonata } from '../../../../src/mapping/transforms/jsonata.js';
import { compileExpression } from '../../../../src/mapping/transforms/jsonata.js';
import { createLookup } from '../../../../src/mapping/transforms/lookup.js';
import { createMap } from '../../../../src/mapping/transforms/map.js';
import { createTrim } from '../../../../src/mapping/transforms/trim.js';
import { createUppercase } from '../../../../src/mapping/transforms/uppercase.js';
import { linksContext, noLinks } from './context.js';

function jsonataOf(text: string) {
  const c = compileExpression(text);
  if (!c.ok) throw new Error(c.message);
  return createJsonata(text, c.expression);
}

describe('boolean_string', () => {
  it('turns flags into "true"/"false" and back', async () => {
    const t = createBooleanString();
    expect(await t.toRight(true, noLinks)).toEqual({ ok: true, value: 'true' });
    expect(await t.toRight('false', noLinks)).toEqual({ ok: true, value: 'false' });
    expect(await t.toLeft(' TRUE ', noLinks)).toEqual({ ok: true, value: true });
    expect(await t.toLeft('yes', noLinks)).toMatchObject({ ok: false, kind: 'invalid' });
  });
});

describe('lookup', () => {
  const ctx = linksContext({ 'companies-customers': [['hs-1', 'qb-77']] });
  const t = createLookup('companies-customers');

  it('translates a reference through the other pair in both directions', async () => {
    expect(await t.toRight('hs-1', ctx)).toEqual({ ok: true, value: 'qb-77' });
    expect(await t.toLeft('qb-77', ctx)).toEqual({ ok: true, value: 'hs-1' });
    expect(t.name).toBe('lookup:companies-customers');
  });

  it('waits on a reference that is not linked yet, rather than writing half a record', async () => {
    const r = await t.toRight('hs-2', ctx);
    expect(r).toEqual({ ok: false, kind: 'waiting', message: 'the left record hs-2 is not linked in pair companies-customers yet' });
  });

  it('compares numeric ids as text', async () => {
    const numeric = linksContext({ p: [['12', '34']] });
    expect(await createLookup('p').toRight(12, numeric)).toEqual({ ok: true, value: '34' });
  });
});

describe('jsonata', () => {
  it('evaluates with the source value as $ in whichever direction the field runs', async () => {
    const t = jsonataOf("$ = 0 ? 'paid' : 'open'");
    expect(await t.toLeft(0, noLinks)).toEqual({ ok: true, value: 'paid' });
    expect(await t.toRight(120.5, noLinks)).toEqual({ ok: true, value: 'open' });
    expect(t.invertible).toBe(false);
  });

  it('gives null when the expression matches nothing', async () => {
    expect(await jsonataOf('missing.path').toRight({ other: 1 }, noLinks)).toEqual({ ok: true, value: null });
  });

  it('reports an evaluation error as an invalid value', async () => {
    const r = await jsonataOf('$number($)').toRight('abc', noLinks);
    expect(r).toMatchObject({ ok: false, kind: 'invalid' });
  });

  it('stops a runaway recursion with an error instead of stalling', async () => {
    const r = await jsonataOf('($f := function($x) { 1 + $f($x) }; $f($))').toRight(1, noLinks);
    expect(r).toMatchObject({ ok: false, kind: 'invalid', message: expect.stringContaining('D1011') });
  });

  it('reports a syntax error with its position', () => {
    const c = compileExpression('$ = ');
    expect(c.ok).toBe(false);
    expect(c.ok ? '' : c.message).toMatch(/does not compile: .* at character \d+/);
  });
});

describe('chains', () => {
  it('apply steps in order towards the right and in reverse towards the left', async () => {
    const t = createChain([createTrim(), createUppercase(), createMap({ GOLD: 'tier-1', SILVER: 'tier-2' })]);
    expect(await t.toRight('  gold ', noLinks)).toEqual({ ok: true, value: 'tier-1' });
    expect(await t.toLeft('tier-2', noLinks)).toEqual({ ok: true, value: 'SILVER' });
    expect(t.name).toBe('trim | uppercase | map');
  });

  it('stop at the first failing step and name it', async () => {
    const t = createChain([createTrim(), createMap({ A: 'x' })]);
    const r = await t.toRight(' B ', noLinks);
    expect(r).toMatchObject({ ok: false, kind: 'unmapped' });
    expect(r.ok ? '' : r.message).toMatch(/^step map: /);
  });

  it('run asynchronous steps such as jsonata and keep going after them', async () => {
    const t = createChain([jsonataOf('$ * 2'), createMap({ '4': 'four' })]);
    expect(await t.toRight(2, noLinks)).toEqual({ ok: true, value: 'four' });
  });

  it('are invertible only when every step is, and say which step is not', () => {
    const t = createChain([createTrim(), createMap({ a: 'x', b: 'x' })]);
    expect(t.invertible).toBe(false);
    expect(t.notInvertibleBecause).toContain('step map is not invertible');
  });
});
