import { describe, expect, it } from 'vitest';
import { createPhoneE164, parsePhone } from '../../../../src/mapping/transforms/phone-e164.js';
import { noLinks } from './context.js';

describe('phone_e164', () => {
  it('normalises international numbers written with separators', () => {
    expect(parsePhone('+44 (20) 7946-0000')).toEqual({ ok: true, e164: '+442079460000' });
    expect(parsePhone('0049 30 123456')).toEqual({ ok: true, e164: '+4930123456' });
  });

  it('reads national numbers in the default region and drops the trunk prefix', () => {
    expect(parsePhone('020 7946 0000', 'GB')).toEqual({ ok: true, e164: '+442079460000' });
    expect(parsePhone('8 (495) 123-45-67', 'RU')).toEqual({ ok: true, e164: '+74951234567' });
    expect(parsePhone('(415) 555-2671', 'US')).toEqual({ ok: true, e164: '+14155552671' });
    expect(parsePhone('1-415-555-2671', 'US')).toEqual({ ok: true, e164: '+14155552671' });
    expect(parsePhone('011 44 20 7946 0000', 'US')).toEqual({ ok: true, e164: '+442079460000' });
  });

  it('keeps the leading 0 of Italian numbers, which belongs to the number', () => {
    expect(parsePhone('06 6982 1234', 'IT')).toEqual({ ok: true, e164: '+390669821234' });
  });

  it('refuses a national number without a default region instead of guessing the country', () => {
    const r = parsePhone('020 7946 0000');
    expect(r.ok).toBe(false);
    expect(r.ok ? '' : r.message).toContain('no default region');
  });

  it('refuses extensions, letters and impossible lengths', () => {
    expect(parsePhone('+1 415 555 2671 ext. 12').ok).toBe(false);
    expect(parsePhone('+1 415 CALL NOW').ok).toBe(false);
    expect(parsePhone('+1 415 555 267').ok).toBe(false);
    expect(parsePhone('+12345').ok).toBe(false);
  });

  it('writes E.164 to the right and keeps the left value when coming back', async () => {
    const t = createPhoneE164({ region: 'DE' });
    expect(await t.toRight('030 123456', noLinks)).toEqual({ ok: true, value: '+4930123456' });
    expect(await t.toLeft('+4930123456', noLinks)).toEqual({ ok: true, value: '+4930123456' });
    expect(await t.toRight('not a phone', noLinks)).toMatchObject({ ok: false, kind: 'invalid' });
  });
});
