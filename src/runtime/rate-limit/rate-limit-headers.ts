/**
 * Reading what a provider says about its budget. Header names are facts of each connector (its
 * `<id>.connector.yaml`); this code reads whatever names it is given and never names a provider.
 */

/** Which headers carry the budget. Every field is optional: a provider without headers gives none. */
export interface RateLimitHeaderSpec {
  /** Header with the calls left in the current window, e.g. `x-ratelimit-remaining`. */
  remaining?: string;
  /** Header in the form `<used>/<limit>` (Shopify REST `X-Shopify-Shop-Api-Call-Limit: 32/40`). */
  usedOfLimit?: string;
  /** Header saying when the window resets. */
  reset?: string;
  /** How `reset` counts. Default is 'delta-seconds' (seconds from now). */
  resetKind?: 'delta-seconds' | 'epoch-seconds';
}

export interface RateLimitObservation {
  remaining?: number;
  resetAt?: Date;
}

function header(headers: Record<string, string | undefined>, name: string): string | undefined {
  const lower = name.toLowerCase();
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === lower) return v;
  return undefined;
}

export function parseRateLimitHeaders(
  headers: Record<string, string | undefined>, spec: RateLimitHeaderSpec, now: Date,
): RateLimitObservation {
  const out: RateLimitObservation = {};
  if (spec.remaining) {
    const n = Number(header(headers, spec.remaining));
    if (header(headers, spec.remaining) !== undefined && Number.isFinite(n) && n >= 0) out.remaining = Math.floor(n);
  }
  if (spec.usedOfLimit && out.remaining === undefined) {
    const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(header(headers, spec.usedOfLimit) ?? '');
    if (m) out.remaining = Math.max(0, Number(m[2]) - Number(m[1]));
  }
  if (spec.reset) {
    const raw = header(headers, spec.reset);
    const n = Number(raw);
    if (raw !== undefined && raw.trim() !== '' && Number.isFinite(n) && n >= 0) {
      out.resetAt = (spec.resetKind ?? 'delta-seconds') === 'delta-seconds'
        ? new Date(now.getTime() + n * 1000)
        : new Date(n * 1000);
    }
  }
  return out;
}

/**
 * Milliseconds a `Retry-After` value asks to wait: delay-seconds or an HTTP date (RFC 9110 §10.2.3).
 * Undefined when absent or unreadable, so the caller falls back to its own backoff.
 */
export function parseRetryAfter(value: string | undefined, now: Date): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  if (/^\s*\d+(\.\d+)?\s*$/.test(value)) return Math.round(Number(value) * 1000);
  const at = Date.parse(value);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now.getTime());
}
