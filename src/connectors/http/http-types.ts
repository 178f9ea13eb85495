/**
 * The shared HTTP client every connector talks through (DESIGN §4): auth, rate-limit header parsing,
 * error classes. Retries, circuit breaking and budgets are applied around it by the runtime.
 */
import type { RateLimitObservation } from './rate-limit-headers.js';

export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Absolute URL, or a path joined to the system's base URL. */
  url: string;
  query?: Record<string, string | number | boolean | undefined>;
  headers?: Record<string, string>;
  /** Serialised as JSON unless `form` is set. */
  json?: unknown;
  form?: Record<string, string>;
  /** Per-request timeout. Default is 30 s. */
  timeoutMs?: number;
  /** Scheduling priority for the rate limiter: 0 live changes, 1 catch-up, 2 backfill and reconcile. Default is 1. */
  priority?: 0 | 1 | 2;
  /**
   * A provider limit this call counts against besides the account budget, named in the connector's
   * `limits.groups` (HubSpot search: 4 requests/s). Default is none.
   */
  limitGroup?: string;
  /**
   * The request may be sent again when its answer was lost: repeating it leaves the system as one send would (an
   * upsert by key, setting tags to a state). GET, PUT, DELETE and requests with an Idempotency-Key count as such
   * anyway. Default is false.
   */
  repeatable?: boolean;
  signal?: AbortSignal;
}

export interface HttpResponse<T = unknown> {
  status: number;
  headers: Record<string, string>;
  body: T;
  /** Raw text of the body. */
  text: string;
  /** What the response headers said about rate limits, when the connector declares header names and any were sent. */
  rateLimit?: RateLimitObservation;
}

export type HttpErrorClass = 'retryable' | 'permanent' | 'stale-version' | 'auth' | 'rate-limited' | 'not-found';

export interface HttpClient {
  /** Resolves for every HTTP answer (2xx..5xx); rejects only for network failures and timeouts. */
  request<T = unknown>(req: HttpRequest): Promise<HttpResponse<T>>;
}
