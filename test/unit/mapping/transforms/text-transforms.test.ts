import { describe, expect, it } from 'vitest';
import { createEmail } from '../../../../src/mapping/transforms/email.js';
import { createLowercase } from '../../../../src/mapping/transforms/lowercase.js';
import { createTrim } from '../../../../src/mapping/transforms/trim.js';
import { createUppercase } from '../../../../src/mapping/transforms/uppercase.js';
import { noLinks } from './context.js';

describe('text transforms', () => {
  it('rewrite towards the right and keep values unchanged towards the left', async () => {
    expect(await createLowercase().toRight('Ada LOVELACE', noLinks)).toEqual({ ok: true, value: 'ada lovelace' });
    expect(await createUppercase().toRight('sku-12a', noLinks)).toEqual({ ok: true, value: 'SKU-12A' });
    expect(await createTrim().toRight('  Acme Ltd \n', noLinks)).toEqual({ ok: true, value: 'Acme Ltd' });
    expect(await createEmail().toRight('  Ada@Example.COM ', noLinks)).toEqual({ ok: true, value: 'ada@example.com' });
    expect(await createEmail().toLeft('Ada@Example.com', noLinks)).toEqual({ ok: true, value: 'Ada@Example.com' });
  });

  it('refuse a non-text value instead of turning it into text', async () => {
    expect(await createLowercase().toRight(42, noLinks)).toMatchObject({ ok: false, kind: 'invalid' });
  });

  it('pass empty values through as null', async () => {
    expect(await createTrim().toRight(null, noLinks)).toEqual({ ok: true, value: null });
    expect(await createTrim().toLeft(undefined, noLinks)).toEqual({ ok: true, value: null });
  });
});
