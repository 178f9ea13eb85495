/**
 * Identity-key normalisers (`match.normalize`): each turns a field value into the text two records must share to
 * be the same record, or undefined when the value cannot identify a record (empty, or not valid for the kind), so
 * that it is never matched on a meaningless key such as an empty email.
 */
import type { normalizers } from '../config/mapping-schema.js';
import { parsePhone } from './transforms/phone-e164.js';

export type NormalizerName = (typeof normalizers)[number];
type Normalize = (value: unknown) => string | undefined;

function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'bigint') return value.toString();
  return undefined;
}

const nonEmpty = (s: string | undefined) => (s === undefined || s.length === 0 ? undefined : s);

/** Trimmed and lower-cased; must look like an address (one @ with text on both sides). */
function email(value: unknown): string | undefined {
  const s = text(value)?.trim().toLowerCase();
  return s !== undefined && /^[^@\s]+@[^@\s]+$/.test(s) ? s : undefined;
}

/**
 * E.164 where the number has a country code (+ or 00); otherwise its digits alone, so that two national numbers
 * written differently (`(020) 7946-0000`, `020 7946 0000`) still match each other.
 */
function phone(value: unknown): string | undefined {
  const s = text(value)?.trim();
  if (!s) return undefined;
  const parsed = parsePhone(s);
  if (parsed.ok) return parsed.e164;
  if (/[a-z]/i.test(s.replace(/(ext\.?|x)\s*\d+\s*$/i, ''))) return undefined;
  return nonEmpty(s.replace(/\D/g, ''));
}

/** SKUs compare without case and white space: `ab-12 x` and `AB-12X` are one SKU; dashes and dots count. */
function sku(value: unknown): string | undefined {
  return nonEmpty(text(value)?.replace(/\s+/g, '').toUpperCase());
}

const innWeights10 = [2, 4, 10, 3, 5, 9, 4, 6, 8];
const innWeights11 = [7, 2, 4, 10, 3, 5, 9, 4, 6, 8];
const innWeights12 = [3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8];

function checkDigit(digits: string, weights: number[]): number {
  const sum = weights.reduce((acc, w, i) => acc + w * Number(digits[i]), 0);
  return (sum % 11) % 10;
}

/** Whether a Russian taxpayer number (ИНН) of 10 (organisation) or 12 (person) digits has valid check digits. */
export function isValidInn(inn: string): boolean {
  if (/^\d{10}$/.test(inn)) return checkDigit(inn, innWeights10) === Number(inn[9]);
  if (/^\d{12}$/.test(inn)) {
    return checkDigit(inn, innWeights11) === Number(inn[10]) && checkDigit(inn, innWeights12) === Number(inn[11]);
  }
  return false;
}

/**
 * ИНН, or ИНН/КПП for a branch of an organisation (1C counterparties): digits only, check digits verified, КПП
 * (9 digits) kept after a slash when given, since branches share the ИНН of their organisation.
 */
function inn(value: unknown): string | undefined {
  const s = text(value)?.replace(/\s+/g, '');
  const m = s === undefined ? null : /^(\d{10}|\d{12})(?:[/\\|;,-](\d{9}))?$/.exec(s);
  if (!m || !isValidInn(m[1]!)) return undefined;
  return m[2] ? `${m[1]}/${m[2]}` : m[1];
}

export const matchNormalizers: Readonly<Record<NormalizerName, Normalize>> = {
  email,
  phone,
  sku,
  lowercase: (value) => nonEmpty(text(value)?.toLowerCase()),
  trim: (value) => nonEmpty(text(value)?.trim()),
  exact: (value) => nonEmpty(text(value)),
  inn,
};
