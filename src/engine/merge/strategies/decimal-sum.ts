/**
 * Exact decimal addition of JavaScript numbers. `0.1 + 0.2` is `0.30000000000000004` in floating
 * point; a price or a quantity synced with `sum-deltas` must come out as the decimal a person would
 * compute, so each number is read as the decimal its shortest representation spells, summed exactly
 * with BigInt, and the result turned back into the nearest number.
 */

interface Decimal {
  /** value = digits × 10^exponent */
  digits: bigint;
  exponent: number;
}

function toDecimal(n: number): Decimal {
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(String(n));
  if (m === null) throw new Error(`not a finite number: ${n}`);
  const fraction = m[3] ?? '';
  const digits = BigInt(`${m[1]}${m[2]}${fraction}`);
  return { digits, exponent: Number(m[4] ?? 0) - fraction.length };
}

/** The exact sum of `terms` (each finite), rounded once to the nearest number. */
export function sumExactly(terms: readonly number[]): number {
  const decimals = terms.map(toDecimal);
  const exponent = Math.min(0, ...decimals.map((d) => d.exponent));
  let total = 0n;
  for (const d of decimals) total += d.digits * 10n ** BigInt(d.exponent - exponent);
  return Number(`${total}e${exponent}`);
}
