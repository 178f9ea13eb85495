import type { Converted } from '../../../../src/mapping/compiled-types.js';

/** The calendar transforms convert synchronously; a promise here is a bug the tests should show. */
export function sync(result: Converted | Promise<Converted>): Converted {
  if (result instanceof Promise) throw new Error('calendar transforms are expected to convert synchronously');
  return result;
}

export const noLinks = { lookup: () => undefined };
