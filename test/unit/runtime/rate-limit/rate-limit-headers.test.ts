import { describe, expect, it } from 'vitest';
import { parseRateLimitHeaders, parseRetryAfter } from '../../../../src/runtime/rate-limit/rate-limit-headers.js';

const now = new Date('2026-03-01T12:00:00.000Z');

describe('rate-limit headers', () => {
  it('reads remaining and a reset in seconds from now, whatever the header case', () => {
    expect(parseRateLimitHeaders({ 'X-RateLimit-Remaining': '7', 'ratelimit-reset': '41' }, { remaining: 'x-ratelimit-remaining', reset: 'RateLimit-Reset' }, now))
      .toEqual({ remaining: 7, resetAt: new Date('2026-03-01T12:00:41.000Z') });
  });

  it('reads a reset given as epoch seconds', () => {
    expect(parseRateLimitHeaders({ reset: '1772366460' }, { reset: 'reset', resetKind: 'epoch-seconds' }, now).resetAt)
      .toEqual(new Date(1772366460 * 1000));
  });

  it('reads a used/limit header as what is left', () => {
    expect(parseRateLimitHeaders({ 'x-shopify-shop-api-call-limit': '32/40' }, { usedOfLimit: 'X-Shopify-Shop-Api-Call-Limit' }, now)).toEqual({ remaining: 8 });
  });

  it('ignores missing and unreadable values', () => {
    expect(parseRateLimitHeaders({ 'x-remaining': 'lots' }, { remaining: 'x-remaining', reset: 'x-reset' }, now)).toEqual({});
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    expect(parseRetryAfter('3', now)).toBe(3000);
    expect(parseRetryAfter('Sun, 01 Mar 2026 12:00:10 GMT', now)).toBe(10_000);
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
  });
});
