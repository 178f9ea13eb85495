import type { EmulatorClock } from '../emulator-clock.js';
import { json, type EmulatorRequest, type EmulatorResponse, type Route } from '../emulator-routes.js';
import type { SeededRandom } from '../seeded-random.js';
import { hubspotError } from './hubspot-errors.js';

/**
 * Bearer auth (private-app tokens and OAuth access tokens) and the OAuth token endpoint.
 * - Token endpoint: POST /oauth/v1/token, form-encoded, grants `authorization_code` and `refresh_token`
 *   (https://developers.hubspot.com/docs/api-reference/legacy/authentication/oauth-tokens/v1/guide);
 *   /oauth/v3/token takes the same body.
 * - Access tokens live `expires_in` = 1800 s (https://developers.hubspot.com/changelog/upcoming-expiration-of-oauth-access-tokens-is-changing)
 *   and vary in length (up to 300 characters), so clients must not assume a size.
 * - 401 body: category INVALID_AUTHENTICATION, "Authentication credentials not found..." (PROVIDERS.md §1.9).
 */
export interface HubSpotCredentials {
  privateAppTokens: string[];
  clientId: string;
  clientSecret: string;
  /** Refresh tokens the token endpoint accepts; refresh tokens do not rotate. */
  refreshTokens: string[];
  /** Authorization codes the endpoint exchanges once each. */
  authorizationCodes: string[];
  accessTokenTtlSeconds: number;
}

export type AuthCheck = { ok: true; token: string; kind: 'private-app' | 'oauth' } | { ok: false; response: EmulatorResponse };

export interface HubSpotAuth {
  check(req: EmulatorRequest): AuthCheck;
  routes: Route[];
  /** Issue an access token directly (admin API and tests). */
  issue(): { access_token: string; refresh_token: string; expires_in: number };
  reset(): void;
}

const MISSING_MESSAGE = 'Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview';

export function createHubSpotAuth(creds: HubSpotCredentials, clock: EmulatorClock, random: SeededRandom): HubSpotAuth {
  const accessTokens = new Map<string, number>(); // token -> expiry (emulator ms)
  const refreshTokens = new Set(creds.refreshTokens);
  const codes = new Set(creds.authorizationCodes);

  const newToken = (prefix: string): string => {
    const length = 60 + random.int(80);
    return `${prefix}${random.hex(length)}`;
  };
  const issue = (refreshToken?: string) => {
    const access = newToken('CKv');
    accessTokens.set(access, clock.nowMs() + creds.accessTokenTtlSeconds * 1000);
    const refresh = refreshToken ?? newToken('na1-');
    refreshTokens.add(refresh);
    return { access_token: access, refresh_token: refresh, expires_in: creds.accessTokenTtlSeconds };
  };

  const tokenError = (status: string, message: string): EmulatorResponse =>
    json(400, { status, message, correlationId: random.uuid() });

  const tokenHandler = (req: EmulatorRequest): EmulatorResponse => {
    const form = (req.body ?? {}) as Record<string, string>;
    if (form.client_id !== creds.clientId) return tokenError('BAD_CLIENT_ID', 'missing or unknown client id');
    if (form.client_secret !== creds.clientSecret) return tokenError('BAD_CLIENT_SECRET', 'missing or invalid client secret');
    if (form.grant_type === 'refresh_token') {
      if (!form.refresh_token || !refreshTokens.has(form.refresh_token)) {
        return tokenError('BAD_REFRESH_TOKEN', 'missing or unknown refresh token');
      }
      return json(200, { token_type: 'bearer', ...issue(form.refresh_token) });
    }
    if (form.grant_type === 'authorization_code') {
      if (!form.code || !codes.has(form.code)) return tokenError('BAD_AUTH_CODE', 'missing or unknown auth code');
      codes.delete(form.code);
      return json(200, { token_type: 'bearer', ...issue() });
    }
    return tokenError('BAD_GRANT_TYPE', `grant_type must be authorization_code or refresh_token, found ${form.grant_type ?? 'nothing'}`);
  };

  return {
    routes: [{ method: 'POST', patterns: ['/oauth/v1/token', '/oauth/v3/token'], handler: tokenHandler }],
    issue: () => issue(),
    reset() {
      accessTokens.clear();
      refreshTokens.clear();
      for (const t of creds.refreshTokens) refreshTokens.add(t);
      codes.clear();
      for (const c of creds.authorizationCodes) codes.add(c);
    },
    check(req) {
      const header = String(req.headers.authorization ?? '');
      const match = /^Bearer\s+(\S+)$/i.exec(header);
      const token = match?.[1];
      if (!token) return { ok: false, response: hubspotError(random, 401, 'INVALID_AUTHENTICATION', MISSING_MESSAGE) };
      if (creds.privateAppTokens.includes(token)) return { ok: true, token, kind: 'private-app' };
      const expiry = accessTokens.get(token);
      if (expiry === undefined) return { ok: false, response: hubspotError(random, 401, 'INVALID_AUTHENTICATION', MISSING_MESSAGE) };
      if (expiry <= clock.nowMs()) {
        const minutes = Math.max(1, Math.round((clock.nowMs() - expiry) / 60_000));
        return {
          ok: false,
          response: hubspotError(random, 401, 'EXPIRED_AUTHENTICATION', `The OAuth token used to make this call expired ${minutes} minute(s) ago.`),
        };
      }
      return { ok: true, token, kind: 'oauth' };
    },
  };
}
