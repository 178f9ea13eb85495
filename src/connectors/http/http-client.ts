import { ConcordError } from '../../shared/errors/index.js';
import { systemClock, type Clock } from '../../shared/clock.js';
import { noAuth, type AuthStrategy } from './auth-strategies.js';
import { parseRateLimit, type RateLimitHeaderNames, type RateLimitObservation } from './rate-limit-headers.js';
import { assertUrlAllowed, type Resolver } from './url-guard.js';
import type { HttpClient, HttpRequest, HttpResponse } from './http-types.js';

export interface HttpClientOptions {
  /** System id, named in errors and logs. */
  system: string;
  /** Joined in front of relative request URLs. */
  baseUrl: string;
  /** Allows http:// and internal addresses. Default is false: HTTPS to public addresses only. */
  emulator?: boolean;
  /** Default is no auth. */
  auth?: AuthStrategy;
  /** Header names of the provider's limits (connector facts). Default is none: only Retry-After is read. */
  rateLimitHeaders?: RateLimitHeaderNames;
  /** Wait reported for a 429 that carries no Retry-After (from the connector's facts). Default is none. */
  defaultRetryAfterMs?: number;
  /** Called with every observation, so the runtime's limiter can correct its budget. */
  onRateLimit?: (observation: RateLimitObservation, status: number) => void;
  /** Default is the system clock. */
  clock?: Clock;
  /** Default is 30 s. */
  timeoutMs?: number;
  /** DNS resolver for the address check. Default is the system resolver. */
  resolve?: Resolver;
  /** Extra headers on every request (User-Agent). */
  headers?: Record<string, string>;
}

/** How long a host's address check is trusted before it is resolved again. */
const ADDRESS_CHECK_TTL_MS = 5 * 60_000;

/** Joins a relative path to the base URL, keeping the base path (`/3.0` + `/lists` = `/3.0/lists`). */
export function joinUrl(baseUrl: string, path: string, query?: HttpRequest['query']): string {
  const absolute = /^https?:\/\//i.test(path);
  const url = new URL(absolute ? path : `${baseUrl.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`);
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) url.searchParams.append(k, String(v));
  return url.toString();
}

/**
 * The shared client on Node's fetch. It never follows redirects (a redirect could lead to an internal
 * address), resolves for every HTTP answer, and rejects only with coded network and timeout errors.
 */
export function createHttpClient(options: HttpClientOptions): HttpClient {
  const clock = options.clock ?? systemClock;
  const auth = options.auth ?? noAuth;
  const checkedHosts = new Map<string, number>();

  const ensureAllowed = async (url: string) => {
    const origin = new URL(url).origin;
    const until = checkedHosts.get(origin);
    if (until !== undefined && until > clock.now().getTime()) return;
    await assertUrlAllowed(url, { emulator: options.emulator ?? false, system: options.system, ...(options.resolve ? { resolve: options.resolve } : {}) });
    checkedHosts.set(origin, clock.now().getTime() + ADDRESS_CHECK_TTL_MS);
  };

  const send = async <T>(req: HttpRequest, authHeaders: Record<string, string>): Promise<HttpResponse<T>> => {
    const url = joinUrl(options.baseUrl, req.url, req.query);
    await ensureAllowed(url);
    const headers: Record<string, string> = { accept: 'application/json', ...options.headers, ...req.headers, ...authHeaders };
    let body: string | undefined;
    if (req.form !== undefined) {
      body = new URLSearchParams(req.form).toString();
      headers['content-type'] = 'application/x-www-form-urlencoded';
    } else if (req.json !== undefined) {
      body = JSON.stringify(req.json);
      headers['content-type'] = 'application/json';
    }
    const timeoutMs = req.timeoutMs ?? options.timeoutMs ?? 30_000;
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = req.signal ? AbortSignal.any([req.signal, timeout]) : timeout;
    let res: Response;
    let text: string;
    try {
      res = await fetch(url, { method: req.method, headers, body, signal, redirect: 'manual' });
      text = await res.text();
    } catch (cause) {
      if (req.signal?.aborted) throw req.signal.reason ?? cause;
      const where = `system ${options.system}: ${req.method} ${new URL(url).origin}${new URL(url).pathname}`;
      if (timeout.aborted) {
        throw new ConcordError('CONCORD_ERR_CONNECTOR_TIMEOUT', `${where}: expected an answer within ${timeoutMs} ms, found none`,
          { system: options.system, timeoutMs }, { cause });
      }
      const reason = cause instanceof Error ? ((cause.cause as Error | undefined)?.message ?? cause.message) : String(cause);
      throw new ConcordError('CONCORD_ERR_CONNECTOR_NETWORK', `${where}: expected an HTTP answer, found a network failure (${reason})`,
        { system: options.system }, { cause });
    }
    const resHeaders: Record<string, string> = {};
    res.headers.forEach((v, k) => { resHeaders[k] = v; });
    const out: HttpResponse<T> = { status: res.status, headers: resHeaders, body: parseBody(text, resHeaders['content-type']) as T, text };
    let observation = parseRateLimit(resHeaders, options.rateLimitHeaders ?? {}, clock.now());
    if (res.status === 429 && observation?.retryAfterMs === undefined && options.defaultRetryAfterMs !== undefined) {
      observation = { ...observation, retryAfterMs: options.defaultRetryAfterMs };
    }
    if (observation) {
      out.rateLimit = observation;
      options.onRateLimit?.(observation, res.status);
    }
    return out;
  };

  return {
    async request<T = unknown>(req: HttpRequest): Promise<HttpResponse<T>> {
      const used = await auth.headers();
      const first = await send<T>(req, used);
      if (first.status !== 401 || !auth.onUnauthorized) return first;
      return (await auth.onUnauthorized(used)) ? send<T>(req, await auth.headers()) : first;
    },
  };
}

function parseBody(text: string, contentType: string | undefined): unknown {
  if (text === '') return null;
  const looksJson = (contentType ?? '').includes('json') || /^\s*[[{]/.test(text);
  if (!looksJson) return text;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
