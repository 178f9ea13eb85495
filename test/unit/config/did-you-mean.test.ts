import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { closestMatch, editDistance } from '../../../src/config/did-you-mean.js';
import { directions, strategies } from '../../../src/config/mapping-schema.js';

const words = [...strategies, ...directions].filter((w) => w.length >= 6);

describe('did you mean', () => {
  it('suggests the word a single typo came from', () => {
    fc.assert(fc.property(
      fc.constantFrom(...words), fc.nat(), fc.constantFrom('drop', 'swap', 'change'),
      (word, at, kind) => {
        const i = at % (word.length - 1);
        const typo = kind === 'drop' ? word.slice(0, i) + word.slice(i + 1)
          : kind === 'swap' ? word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2)
            : `${word.slice(0, i)}${word[i] === 'x' ? 'y' : 'x'}${word.slice(i + 1)}`;
        if (typo === word) return;
        expect(closestMatch(typo, words)).toBe(word);
      },
    ));
  });

  it('suggests nothing for a word unlike every candidate, or for the exact word', () => {
    expect(closestMatch('schedule', ['both', 'left-to-right', 'right-to-left'])).toBeUndefined();
    expect(closestMatch('both', ['both', 'left-to-right'])).toBeUndefined();
    expect(closestMatch('Direction', ['direction'])).toBe('direction');
  });

  it('counts a swapped pair of letters as one edit', () => {
    expect(editDistance('fileds', 'fields')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
  });
});
