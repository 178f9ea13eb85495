import { describe, expect, it } from 'vitest';
import { classifyResponse } from '../../../../src/connectors/http/classify-response.js';
import { parseRateLimit, parseRetryAfter } from '../../../../src/connectors/http/rate-limit-headers.js';

describe('classifyResponse', () => {
  it.each([
    [200, {}, 'ok'], [207, {}, 'ok'], [204, {}, 'ok'],
    [429, {}, 'rate-limited'], [503, { 'Retry-After': '5' }, 'rate-limited'],
    [500, {}, 'retryable'], [502, {}, 'retryable'], [503, {}, 'retryable'], [408, {}, 'retryable'],
    [501, {}, 'permanent'], [400, {}, 'permanent'], [409, {}, 'permanent'], [422, {}, 'permanent'], [302, {}, 'permanent'],
    [401, {}, 'auth'], [403, {}, 'auth'], [404, {}, 'not-found'], [410, {}, 'not-found'], [412, {}, 'stale-version'],
  ] as const)('HTTP %i %o is %s', (status, headers, expected) => {
    expect(classifyResponse(status, { ...headers })).toBe(expected);
  });
});

describe('rate-limit headers', () => {
  const now = new Date('2026-01-01T00:00:00Z');
  it('reads Retry-After as seconds or as an HTTP date', () => {
    expect(parseRetryAfter('10', now)).toBe(10_000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Wed, 31 Dec 2025 00:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
  });
  it('reads reset times by their declared kind and ignores junk', () => {
    const names = { remaining: 'X-RateLimit-Remaining', reset: 'X-RateLimit-Reset', resetKind: 'epoch-seconds' as const };
    expect(parseRateLimit({ 'x-ratelimit-remaining': '7', 'x-ratelimit-reset': String(now.getTime() / 1000 + 60) }, names, now))
      .toEqual({ remaining: 7, resetAt: '2026-01-01T00:01:00.000Z' });
    expect(parseRateLimit({ 'x-ratelimit-remaining': 'n/a' }, names, now)).toBeNull();
  });
});
