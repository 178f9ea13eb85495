/** Splits a list into consecutive chunks of at most `size` items (batch endpoints take a bounded number of inputs). */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
