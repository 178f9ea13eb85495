import type { HttpErrorClass } from './http-types.js';

export type ResponseClass = 'ok' | HttpErrorClass;

/**
 * What an HTTP answer means for the caller, from its status alone (headers refine 503s).
 * - 429 is rate-limited; 408, 425, 5xx are retryable (a 501 is permanent: retrying cannot help);
 * - 401 and 403 are auth; 404 and 410 are not-found; 412 (precondition failed) is stale-version;
 * - other 4xx (400, 409, 422 ...) are permanent: the same request will fail the same way.
 * A 503 with Retry-After is treated as rate-limited, as most providers use it for throttling.
 */
export function classifyResponse(status: number, headers: Record<string, string> = {}): ResponseClass {
  if (status >= 200 && status < 300) return 'ok';
  if (status === 429) return 'rate-limited';
  if (status === 503 && headerValue(headers, 'retry-after') !== undefined) return 'rate-limited';
  if (status === 408 || status === 425) return 'retryable';
  if (status === 501) return 'permanent';
  if (status >= 500) return 'retryable';
  if (status === 401 || status === 403) return 'auth';
  if (status === 404 || status === 410) return 'not-found';
  if (status === 412) return 'stale-version';
  // 1xx/3xx are not followed (no redirects): the caller cannot use them.
  return 'permanent';
}

/** Case-insensitive header lookup over a plain record. */
export function headerValue(headers: Record<string, string | undefined>, name: string): string | undefined {
  const want = name.toLowerCase();
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === want) return v;
  return undefined;
}
