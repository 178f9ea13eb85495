import { z } from 'zod';
import { ConcordError } from '../../shared/errors/index.js';
import type { Clock } from '../../shared/clock.js';
import type { HttpClient } from './http-types.js';
import type { OAuthTokens, TokenStore } from './token-store.js';

/**
 * How a request is authenticated. The client asks for headers before each request, and after a 401
 * asks once whether retrying can help (only OAuth2 can: by refreshing the token).
 */
export interface AuthStrategy {
  headers(): Promise<Record<string, string>>;
  /** Called after a 401 made with `usedHeaders`. True means retry the request once. Default: no retry. */
  onUnauthorized?(usedHeaders: Record<string, string>): Promise<boolean>;
}

export const noAuth: AuthStrategy = { headers: async () => ({}) };

/** A static key in a header of the provider's choosing (`X-API-Key: <key>`, `Authorization: apikey <key>`). */
export function createApiKeyAuth(header: string, value: string): AuthStrategy {
  return { headers: async () => ({ [header]: value }) };
}

export function createBasicAuth(username: string, password: string): AuthStrategy {
  const value = `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;
  return { headers: async () => ({ authorization: value }) };
}

/** A long-lived bearer token (HubSpot private-app token). */
export function createBearerAuth(token: string): AuthStrategy {
  return { headers: async () => ({ authorization: `Bearer ${token}` }) };
}

export interface OAuth2Options {
  system: string;
  /** Token endpoint, absolute or relative to the client's base URL. */
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  store: TokenStore;
  clock: Clock;
  /** An unauthenticated client for the token endpoint. */
  http: HttpClient;
  /** Refresh this long before expiry. Default is 5 minutes: HubSpot tokens live 30 minutes. */
  refreshBeforeMs?: number;
}

const tokenResponseSchema = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1).optional(),
  // Mailchimp answers expires_in: 0 for tokens that never expire.
  expires_in: z.number().nonnegative().optional(),
  token_type: z.string().optional(),
}).loose();

/**
 * OAuth2 with refresh-token grant. Refreshes before expiry (providers such as HubSpot say a 401 is not a
 * reliable signal), and once more after a 401 in case the token was revoked early. Concurrent callers
 * share one refresh. A failed refresh throws CONCORD_ERR_CONNECTOR_AUTH_REFRESH_FAILED.
 */
export function createOAuth2Auth(o: OAuth2Options): AuthStrategy {
  const before = o.refreshBeforeMs ?? 5 * 60_000;
  let tokens: OAuthTokens | null = null;
  let refreshing: Promise<OAuthTokens> | null = null;

  const current = async (): Promise<OAuthTokens> => {
    tokens ??= await o.store.load(o.system);
    if (!tokens) {
      throw new ConcordError('CONCORD_ERR_CONNECTOR_CREDENTIALS_MISSING',
        `system ${o.system}: expected saved OAuth2 tokens, found none; authorise the app first`);
    }
    return tokens;
  };
  const isDue = (t: OAuthTokens) => t.expiresAt !== undefined && Date.parse(t.expiresAt) - before <= o.clock.now().getTime();

  const refresh = (stale: OAuthTokens): Promise<OAuthTokens> => {
    refreshing ??= (async () => {
      try {
        if (!stale.refreshToken) {
          throw new ConcordError('CONCORD_ERR_CONNECTOR_AUTH_REFRESH_FAILED',
            `system ${o.system}: expected a refresh token to renew the access token, found none`);
        }
        const res = await o.http.request({
          method: 'POST', url: o.tokenUrl, priority: 0,
          form: { grant_type: 'refresh_token', client_id: o.clientId, client_secret: o.clientSecret, refresh_token: stale.refreshToken },
        });
        const parsed = tokenResponseSchema.safeParse(res.body);
        if (res.status < 200 || res.status >= 300 || !parsed.success) {
          throw new ConcordError('CONCORD_ERR_CONNECTOR_AUTH_REFRESH_FAILED',
            `system ${o.system}: expected a token response from ${o.tokenUrl}, found HTTP ${res.status}` +
            (parsed.success ? '' : ' without an access_token'), { status: res.status });
        }
        const next: OAuthTokens = { accessToken: parsed.data.access_token };
        const refreshToken = parsed.data.refresh_token ?? stale.refreshToken;
        if (refreshToken) next.refreshToken = refreshToken;
        if (parsed.data.expires_in) next.expiresAt = new Date(o.clock.now().getTime() + parsed.data.expires_in * 1000).toISOString();
        await o.store.save(o.system, next);
        tokens = next;
        return next;
      } finally {
        refreshing = null;
      }
    })();
    return refreshing;
  };

  return {
    async headers() {
      let t = await current();
      if (isDue(t)) t = await refresh(t);
      return { authorization: `Bearer ${t.accessToken}` };
    },
    async onUnauthorized(used) {
      const t = await current();
      // Another request refreshed meanwhile: retry with the new token instead of refreshing again.
      if (used.authorization !== `Bearer ${t.accessToken}`) return true;
      await refresh(t);
      return true;
    },
  };
}
