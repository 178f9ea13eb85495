import { ConcordError } from '../shared/errors/index.js';
import type { Clock } from '../shared/clock.js';
import { createBasicAuth, createBearerAuth, createApiKeyAuth, createOAuth2Auth, type AuthStrategy } from './http/auth-strategies.js';
import { createHttpClient } from './http/http-client.js';
import type { HttpClient } from './http/http-types.js';
import type { RateLimitObservation } from './http/rate-limit-headers.js';
import type { TokenStore } from './http/token-store.js';
import type { Resolver } from './http/url-guard.js';
import type { ConnectorLimits, ConnectorSettings } from './contract.js';
import type { ConnectorFacts } from './connector-facts.js';

/** What the runtime hands a connector to build its HTTP client. */
export interface ConnectorHttpDeps {
  /** Needed for OAuth2 only. */
  tokenStore?: TokenStore;
  clock?: Clock;
  onRateLimit?: (observation: RateLimitObservation, status: number) => void;
  resolve?: Resolver;
}

/**
 * The first auth method of the facts whose credentials are all set wins, in the order the facts list
 * them; for OAuth2 the client id and secret must be set and the tokens come from the token store.
 */
export function chooseAuth(facts: ConnectorFacts, settings: ConnectorSettings, deps: ConnectorHttpDeps, baseUrl: string): AuthStrategy {
  const c = settings.credentials;
  for (const a of facts.auth) {
    if (a.kind === 'bearer' && c[a.credential]) return createBearerAuth(c[a.credential]!);
    if (a.kind === 'basic' && c[a.passwordCredential]) return createBasicAuth(a.username, c[a.passwordCredential]!);
    if (a.kind === 'api-key' && c[a.credential]) return createApiKeyAuth(a.header, `${a.prefix ?? ''}${c[a.credential]}`);
    if (a.kind === 'oauth2' && c[a.clientIdCredential] && c[a.clientSecretCredential] && deps.tokenStore && deps.clock) {
      return createOAuth2Auth({
        system: settings.system, tokenUrl: a.tokenUrl, clientId: c[a.clientIdCredential]!, clientSecret: c[a.clientSecretCredential]!,
        store: deps.tokenStore, clock: deps.clock, refreshBeforeMs: a.refreshBeforeSeconds * 1000,
        http: createHttpClient({ system: settings.system, baseUrl, emulator: settings.emulator, clock: deps.clock, ...(deps.resolve ? { resolve: deps.resolve } : {}) }),
      });
    }
  }
  const options = facts.auth.map((a) => a.kind === 'oauth2' ? `oauth2 (${a.clientIdCredential} + ${a.clientSecretCredential} + a token store)`
    : a.kind === 'basic' ? `basic (${a.passwordCredential})` : `${a.kind} (${a.credential})`);
  throw new ConcordError('CONCORD_ERR_CONNECTOR_CREDENTIALS_MISSING',
    `system ${settings.system}: expected credentials for one of: ${options.join(', ')}; found ${Object.keys(c).join(', ') || 'none'}`);
}

/** The shared client configured from a connector's facts: base URL, auth, limit headers, timeout (the system's own first). */
export function createConnectorHttpClient(facts: ConnectorFacts, settings: ConnectorSettings, baseUrl: string, deps: ConnectorHttpDeps): HttpClient {
  const timeoutMs = settings.requestTimeoutMs ?? facts.limits.requestTimeoutMs;
  return createHttpClient({
    system: settings.system,
    baseUrl,
    emulator: settings.emulator,
    auth: chooseAuth(facts, settings, deps, baseUrl),
    rateLimitHeaders: facts.limits.headers,
    defaultRetryAfterMs: facts.limits.retryAfterDefaultMs,
    ...(timeoutMs ? { timeoutMs } : {}),
    ...(deps.clock ? { clock: deps.clock } : {}),
    ...(deps.onRateLimit ? { onRateLimit: deps.onRateLimit } : {}),
    ...(deps.resolve ? { resolve: deps.resolve } : {}),
  });
}

/** The limits a connector declares to the runtime, from its facts. */
export function connectorLimits(facts: ConnectorFacts): ConnectorLimits {
  const l = facts.limits;
  return {
    ...(l.requests ? { requests: { ...l.requests } } : {}),
    ...(l.daily ? { daily: l.daily } : {}),
    ...(l.maxConcurrent ? { maxConcurrent: l.maxConcurrent } : {}),
    ...(l.search ? { groups: { search: { ...l.search } } } : {}),
    retryAfterDefaultMs: l.retryAfterDefaultMs,
    headers: { ...l.headers },
  };
}
