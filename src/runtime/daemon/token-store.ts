/**
 * OAuth2 tokens for the connectors' `TokenStore`, kept in the store encrypted at rest (AES-256-GCM,
 * key from CONCORD_SECRET_KEY). Built only when a system the mappings use is configured for OAuth2
 * (client id and secret): then a missing or malformed key stops start-up with its coded error, and a
 * refresh token from the config seeds the store the first time, so the first call refreshes.
 */
import type { OAuthTokens, TokenStore } from '../../connectors/http/token-store.js';
import type { DaemonConfig } from '../../config/daemon-config-schema.js';
import type { Clock } from '../../shared/clock.js';
import type { Db } from '../../store/database.js';
import { loadSecretKey } from '../../store/secret-key.js';
import { createTokenStore } from '../../store/tokens.js';

export async function createDaemonTokenStore(options: {
  db: Db;
  config: Readonly<DaemonConfig>;
  used: ReadonlySet<string>;
  env: Record<string, string | undefined>;
  clock: Clock;
}): Promise<TokenStore | undefined> {
  const oauthSystems = [...options.used].filter((s) => {
    const c = options.config.systems[s]?.credentials ?? {};
    return c.client_id !== undefined && c.client_secret !== undefined;
  });
  if (oauthSystems.length === 0) return undefined;
  const store: TokenStore = createTokenStore<OAuthTokens & { expiresAt?: string }>(options.db, loadSecretKey(options.env), options.clock);
  for (const system of oauthSystems) {
    const c = options.config.systems[system]!.credentials;
    if (c.refresh_token && !(await store.load(system))) {
      await store.save(system, { accessToken: '', refreshToken: c.refresh_token, expiresAt: new Date(0).toISOString() });
    }
  }
  return store;
}
