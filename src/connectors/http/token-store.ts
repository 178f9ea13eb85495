/**
 * Where OAuth2 tokens live between runs. The store implements it with encryption at rest (DESIGN §10);
 * the client only loads and saves through it, so a refreshed token survives a restart.
 */
export interface OAuthTokens {
  accessToken: string;
  /** Absent for providers whose tokens do not expire or cannot be refreshed. */
  refreshToken?: string;
  /** ISO-8601 expiry of the access token. Absent means it does not expire. */
  expiresAt?: string;
}

export interface TokenStore {
  /** The tokens saved for a system, or null before the first authorisation. */
  load(system: string): Promise<OAuthTokens | null>;
  save(system: string, tokens: OAuthTokens): Promise<void>;
}

/** A store held in memory: for tests and one-off commands that must not persist tokens. */
export function createMemoryTokenStore(initial: Record<string, OAuthTokens> = {}): TokenStore & { saved: Map<string, OAuthTokens> } {
  const saved = new Map(Object.entries(initial));
  return {
    saved,
    load: async (system) => saved.get(system) ?? null,
    save: async (system, tokens) => { saved.set(system, tokens); },
  };
}
