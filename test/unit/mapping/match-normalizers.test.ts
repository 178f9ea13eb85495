import { describe, expect, it } from 'vitest';
import { isValidInn, matchNormalizers } from '../../../src/mapping/match-normalizers.js';

const { email, phone, sku, lowercase, trim, exact, inn } = matchNormalizers;

describe('match normalisers', () => {
  it('email: case and spaces do not matter; values that are not addresses match nothing', () => {
    expect(email(' Ada@Example.COM ')).toBe('ada@example.com');
    expect(email('ada@example.com')).toBe(email('ADA@example.com'));
    expect(email('')).toBeUndefined();
    expect(email('not an address')).toBeUndefined();
    expect(email(null)).toBeUndefined();
  });

  it('phone: international numbers meet in E.164, national ones by their digits', () => {
    expect(phone('+44 20 7946 0000')).toBe('+442079460000');
    expect(phone('0044 (20) 7946-0000')).toBe('+442079460000');
    expect(phone('(020) 7946-0000')).toBe(phone('020 7946 0000'));
    expect(phone('call me')).toBeUndefined();
    expect(phone('')).toBeUndefined();
  });

  it('sku: case and white space do not matter, dashes do', () => {
    expect(sku('ab-12 x')).toBe('AB-12X');
    expect(sku('AB-12X')).toBe(sku(' ab-12x '));
    expect(sku('AB12X')).not.toBe(sku('AB-12X'));
    expect(sku('   ')).toBeUndefined();
  });

  it('lowercase, trim and exact keep to their names; empty values match nothing', () => {
    expect(lowercase('ACME')).toBe('acme');
    expect(trim('  acme ')).toBe('acme');
    expect(exact(' Acme ')).toBe(' Acme ');
    expect(exact(42)).toBe('42');
    expect(exact('')).toBeUndefined();
    expect(exact({ id: 1 })).toBeUndefined();
  });

  it('inn: check digits are verified, and a KPP after the INN is kept so branches stay apart', () => {
    expect(isValidInn('7707083893')).toBe(true);
    expect(isValidInn('7707083894')).toBe(false);
    expect(isValidInn('500100732259')).toBe(true);
    expect(isValidInn('500100732258')).toBe(false);
    expect(inn(' 7707083893 ')).toBe('7707083893');
    expect(inn('7707083893/773601001')).toBe('7707083893/773601001');
    expect(inn('7707083893/773601001')).not.toBe(inn('7707083893/772801001'));
    expect(inn('1234567890')).toBeUndefined();
    expect(inn('ИНН 7707083893')).toBeUndefined();
  });
});
