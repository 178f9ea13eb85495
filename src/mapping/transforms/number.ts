/**
 * `number` / `number: { scale: 2 }`: a number on the right, read from a number or its decimal text on the left
 * (WooCommerce prices and HubSpot amounts are text), rounded half away from zero to `scale` decimals when given.
 * Back to the left the number is rounded the same way and stays a number.
 * `as: text` writes the right value as decimal text with exactly `scale` decimals ("20.00"), for APIs that keep
 * numbers as text (WooCommerce `regular_price`): comparing the number 20 with the text "20.00" would otherwise find
 * a difference on every pass.
 *
 * Invertible: rounding is idempotent, so a number that came across converts to itself again both ways. Rounding
 * loses digits beyond `scale` from a left value only once, on its way out, never in a loop.
 */
import type { CompiledTransform } from '../compiled-types.js';
import { converted, describeValue, invalid, isEmpty } from './converted.js';

const decimalText = /^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*$/;

export function readNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && decimalText.test(value)) {
    const n = Number(value);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

/**
 * Rounds through decimal text ("1.005e2"), not by multiplying floats, so 1.005 rounds to 1.01 as people expect.
 */
export function roundToScale(n: number, scale: number): number {
  if (Number.isInteger(n)) return n;
  const rounded = shiftDecimal(Math.round(shiftDecimal(Math.abs(n), scale)), -scale);
  if (!Number.isFinite(rounded)) return n;
  const signed = n < 0 ? -rounded : rounded;
  return Object.is(signed, -0) ? 0 : signed;
}

/** n × 10^by, done on the decimal text so that no binary rounding creeps in. */
function shiftDecimal(n: number, by: number): number {
  const [mantissa, exponent] = String(n).split('e');
  return Number(`${mantissa}e${Number(exponent ?? 0) + by}`);
}

export interface NumberOptions {
  scale?: number | undefined;
  /** How the right side holds the number. Default is 'number'. */
  as?: 'number' | 'text' | undefined;
}

export function createNumber(options: NumberOptions = {}): CompiledTransform {
  const { scale } = options;
  const asText = options.as === 'text';
  const convert = (value: unknown, toText: boolean) => {
    if (isEmpty(value)) return converted(null);
    const n = readNumber(value);
    if (n === undefined) return invalid(`number expects a number or its decimal text, found ${describeValue(value)}`);
    const rounded = scale === undefined ? n : roundToScale(n, scale);
    if (!toText) return converted(rounded);
    return converted(scale === undefined || Math.abs(rounded) >= 1e21 ? String(rounded) : rounded.toFixed(scale));
  };
  const details = [scale === undefined ? '' : `scale ${scale}`, asText ? 'as text' : ''].filter(Boolean).join(', ');
  return {
    name: details ? `number(${details})` : 'number',
    invertible: true,
    toRight: (value) => convert(value, asText),
    toLeft: (value) => convert(value, false),
  };
}
