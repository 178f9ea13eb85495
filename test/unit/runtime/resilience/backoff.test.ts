import { describe, expect, it } from 'vitest';
import { backoffDelay, createBackoff } from '../../../../src/runtime/resilience/backoff.js';

const middle = () => 0.5;

describe('retry backoff', () => {
  it('doubles from the base: 1s, 2s, 4s, 8s, ... up to the cap', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => backoffDelay(n, { random: middle, maxMs: 30_000 }))).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000]);
  });

  it('spreads delays by at most 20% either way, never past the cap', () => {
    for (const r of [0, 0.25, 0.75, 0.999]) {
      const d = backoffDelay(3, { random: () => r, baseMs: 100, maxMs: 1000 });
      expect(d).toBeGreaterThanOrEqual(320);
      expect(d).toBeLessThanOrEqual(480);
    }
    expect(backoffDelay(10, { random: () => 0.999, baseMs: 100, maxMs: 1000 })).toBe(1000);
  });

  it('waits at least what Retry-After asked', () => {
    const backoff = createBackoff({ random: middle, baseMs: 100 });
    const withRetryAfter = Object.assign(new Error('429'), { retryAfterMs: 5000 });
    expect(backoff.next({ attempt: 1, signal: new AbortController().signal, result: { error: withRetryAfter } }).duration).toBe(5000);
    expect(backoff.next({ attempt: 1, signal: new AbortController().signal, result: { error: new Error('500') } }).duration).toBe(100);
  });
});
