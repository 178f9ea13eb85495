import type { TransformContext } from '../../../../src/mapping/compiled-types.js';

/** A lookup context over fixed links: `links[pair]` lists [left id, right id] pairs. */
export function linksContext(links: Record<string, Array<[string, string]>> = {}): TransformContext {
  return {
    lookup(pair, from, id) {
      const found = (links[pair] ?? []).find(([l, r]) => (from === 'left' ? l : r) === id);
      return found === undefined ? undefined : from === 'left' ? found[1] : found[0];
    },
  };
}

export const noLinks = linksContext();
