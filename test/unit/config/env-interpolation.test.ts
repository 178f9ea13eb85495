import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { interpolateString } from '../../../src/config/env-interpolation.js';

const name = fc.stringMatching(/^[A-Z_][A-Z0-9_]{0,11}$/);
const plain = fc.string().filter((s) => !s.includes('$'));

describe('interpolateString', () => {
  it('leaves text without $ unchanged', () => {
    fc.assert(fc.property(plain, (text) => {
      expect(interpolateString(text, {})).toEqual({ ok: true, value: text, used: false });
    }));
  });

  it('replaces ${NAME} by the value and ${NAME:-default} by the default; an empty variable counts as unset', () => {
    const fallbackText = plain.filter((s) => !s.includes('}'));
    fc.assert(fc.property(name, plain, fallbackText, plain, (key, value, fallback, around) => {
      const withValue = interpolateString(`${around}\${${key}}${around}`, { [key]: value });
      expect(withValue).toEqual(value === ''
        ? { ok: false, errors: [expect.objectContaining({ index: around.length })] }
        : { ok: true, value: `${around}${value}${around}`, used: true });
      const withDefault = interpolateString(`\${${key}:-${fallback}}`, {});
      expect(withDefault).toEqual({ ok: true, value: fallback, used: true });
    }));
  });

  it('writes $${ as a literal ${ and refuses a malformed reference', () => {
    expect(interpolateString('a$${B}c', {})).toEqual({ ok: true, value: 'a${B}c', used: false });
    expect(interpolateString('x${1A}', {})).toEqual({ ok: false, errors: [{ index: 1, message: '"${1A}" is not a variable reference: write ${NAME} or ${NAME:-default} (letters, digits, _), or $${ for a literal ${' }] });
  });
});
