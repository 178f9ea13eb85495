import { headerValue } from './classify-response.js';

/**
 * Names of the headers a provider uses to report its limits, from the connector's facts.
 * Each is optional: a provider that sends none (Mailchimp) gets an observation with only what 429 tells.
 */
export interface RateLimitHeaderNames {
  limit?: string;
  remaining?: string;
  /** Header giving the window length in milliseconds (HubSpot `X-HubSpot-RateLimit-Interval-Milliseconds`). */
  intervalMs?: string;
  /** Header giving when the window resets, read as `resetKind` says. */
  reset?: string;
  resetKind?: 'epoch-seconds' | 'delta-seconds' | 'epoch-milliseconds';
  dailyLimit?: string;
  dailyRemaining?: string;
  /** Default is `Retry-After` (seconds or an HTTP date, RFC 9110 §10.2.3). */
  retryAfter?: string;
}

export interface RateLimitObservation {
  limit?: number;
  remaining?: number;
  windowMs?: number;
  /** ISO-8601 time the current window resets. */
  resetAt?: string;
  dailyLimit?: number;
  dailyRemaining?: number;
  /** How long the provider asks us to wait, from Retry-After. */
  retryAfterMs?: number;
}

/** Reads what the headers say about limits; null when they say nothing. Unparseable values are ignored. */
export function parseRateLimit(headers: Record<string, string>, names: RateLimitHeaderNames, now: Date): RateLimitObservation | null {
  const num = (name: string | undefined): number | undefined => {
    if (!name) return undefined;
    const raw = headerValue(headers, name);
    if (raw === undefined || raw.trim() === '') return undefined;
    const n = Number(raw);
    return Number.isFinite(n) ? n : undefined;
  };
  const obs: RateLimitObservation = {};
  const set = <K extends keyof RateLimitObservation>(k: K, v: RateLimitObservation[K] | undefined) => { if (v !== undefined) obs[k] = v; };
  set('limit', num(names.limit));
  set('remaining', num(names.remaining));
  set('windowMs', num(names.intervalMs));
  set('dailyLimit', num(names.dailyLimit));
  set('dailyRemaining', num(names.dailyRemaining));
  const reset = num(names.reset);
  if (reset !== undefined) {
    const kind = names.resetKind ?? 'delta-seconds';
    const at = kind === 'epoch-seconds' ? reset * 1000 : kind === 'epoch-milliseconds' ? reset : now.getTime() + reset * 1000;
    set('resetAt', new Date(at).toISOString());
  }
  set('retryAfterMs', parseRetryAfter(headerValue(headers, names.retryAfter ?? 'Retry-After'), now));
  return Object.keys(obs).length === 0 ? null : obs;
}

/** Retry-After is either delay-seconds or an HTTP date; a date in the past means "now" (0). */
export function parseRetryAfter(value: string | undefined, now: Date): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const v = value.trim();
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  const at = Date.parse(v);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now.getTime());
}
