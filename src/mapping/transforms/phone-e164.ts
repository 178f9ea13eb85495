/**
 * `phone_e164`: a phone number in E.164 form (`+` and up to 15 digits) on the right, read from what people type on
 * the left: separators (spaces, dashes, dots, parentheses, slashes) are dropped; `+` or the international prefix
 * `00` (`011` in North America) starts an international number; anything else is a national number of the default
 * region (`{ phone_e164: { region: GB } }`), whose trunk prefix is dropped. Without a region, national numbers are
 * `invalid`, never guessed. Numbers with an extension are `invalid` too, because E.164 has no place for one.
 *
 * Checked: the total length (8 to 15 digits), no leading 0 in the country code, and the national length where the
 * region's plan fixes it (NANP, Russia, ...). Not checked: whether a number is assigned. Written without
 * libphonenumber to avoid a 150 kB metadata dependency for what the sync needs: one canonical text per number.
 *
 * Invertible: E.164 text parses to itself, and the left keeps what was sent back unchanged.
 */
import type { CompiledTransform } from '../compiled-types.js';
import { converted, describeValue, invalid, isEmpty } from './converted.js';
import { phoneRegions, type PhoneRegion } from './phone-regions.js';

export type ParsedPhone = { ok: true; e164: string } | { ok: false; message: string };

const separators = /[\s\-.()/\u00a0]/g;
const extension = /(ext\.?|x|#)\s*\d+\s*$/i;

export function parsePhone(input: string, defaultRegion?: string): ParsedPhone {
  if (extension.test(input)) return { ok: false, message: `"${input}" has an extension, which E.164 cannot hold` };
  const compact = input.replace(separators, '');
  const region: PhoneRegion | undefined = defaultRegion ? phoneRegions[defaultRegion] : undefined;
  let international: string | undefined;
  if (/^\+\d+$/.test(compact)) international = compact.slice(1);
  else if (/^00\d+$/.test(compact)) international = compact.slice(2);
  else if (region?.callingCode === '1' && /^011\d+$/.test(compact)) international = compact.slice(3);
  else if (!/^\d+$/.test(compact)) return { ok: false, message: `"${input}" is not a phone number (only digits, +, spaces, dashes, dots and parentheses are allowed)` };
  if (international === undefined) {
    if (!region) {
      return { ok: false, message: `"${input}" has no country code and no default region is set; write it with + or set { phone_e164: { region: <ISO country> } }` };
    }
    let national = compact;
    if (region.trunkPrefix && national.startsWith(region.trunkPrefix) &&
        (region.nationalLength === undefined || national.length === region.nationalLength + region.trunkPrefix.length)) {
      national = national.slice(region.trunkPrefix.length);
    }
    if (region.nationalLength !== undefined && national.length !== region.nationalLength) {
      return { ok: false, message: `"${input}" has ${national.length} national digits; region ${defaultRegion} numbers have ${region.nationalLength}` };
    }
    international = region.callingCode + national;
  }
  if (international.startsWith('0')) return { ok: false, message: `"${input}": a country code cannot start with 0` };
  if (international.length < 8 || international.length > 15) {
    return { ok: false, message: `"${input}" has ${international.length} digits with its country code; E.164 numbers have 8 to 15` };
  }
  const fixed = Object.values(phoneRegions).find((r) => international!.startsWith(r.callingCode) && r.callingCode.length === 1 && r.nationalLength);
  if (fixed && international.length !== fixed.callingCode.length + fixed.nationalLength!) {
    return { ok: false, message: `"${input}": numbers with country code +${fixed.callingCode} have ${fixed.nationalLength} digits after it` };
  }
  return { ok: true, e164: `+${international}` };
}

export function isKnownRegion(region: string): boolean {
  return Object.hasOwn(phoneRegions, region);
}

export function createPhoneE164(options: { region?: string | undefined } = {}): CompiledTransform {
  const { region } = options;
  return {
    name: region ? `phone_e164(${region})` : 'phone_e164',
    invertible: true,
    toRight(value) {
      if (isEmpty(value)) return converted(null);
      if (typeof value !== 'string' && typeof value !== 'number') {
        return invalid(`phone_e164 expects a phone number as text, found ${describeValue(value)}`);
      }
      const parsed = parsePhone(String(value), region);
      return parsed.ok ? converted(parsed.e164) : invalid(`phone_e164: ${parsed.message}`);
    },
    toLeft(value) {
      return converted(isEmpty(value) ? null : value);
    },
  };
}
