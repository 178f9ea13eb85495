import { systemClock, type Clock } from '../shared/clock.js';
import type { Db } from './database.js';
import { openTokens, sealTokens } from './token-cipher.js';

/** What a connector keeps between runs; `expiresAt` (ISO-8601) is also stored in clear for housekeeping. */
export interface StoredTokens {
  expiresAt?: string;
}

/** Saves a system's tokens, encrypted with `key` (see `loadSecretKey`), replacing the previous ones. */
export async function saveTokens(db: Db, system: string, tokens: StoredTokens, key: Buffer, now: Date): Promise<void> {
  const sealed = sealTokens(key, system, tokens);
  const row = { ...sealed, expires_at: tokens.expiresAt ?? null, updated_at: now.toISOString() };
  await db.insertInto('tokens').values({ system, ...row })
    .onConflict((oc) => oc.column('system').doUpdateSet(row)).execute();
}

/** A system's tokens, or null before the first save. A row that does not decrypt is a coded error. */
export async function loadTokens<T extends StoredTokens = StoredTokens>(db: Db, system: string, key: Buffer): Promise<T | null> {
  const row = await db.selectFrom('tokens').select(['ciphertext', 'iv', 'tag']).where('system', '=', system).executeTakeFirst();
  return row ? (openTokens(key, system, row) as T) : null;
}

export async function deleteTokens(db: Db, system: string): Promise<boolean> {
  const res = await db.deleteFrom('tokens').where('system', '=', system).executeTakeFirst();
  return Number(res.numDeletedRows) > 0;
}

/**
 * The `{ load, save }` token store the HTTP client's OAuth strategy uses (structurally the connectors'
 * `TokenStore`; the store does not import connector code).
 */
export function createTokenStore<T extends StoredTokens>(db: Db, key: Buffer, clock: Clock = systemClock): {
  load(system: string): Promise<T | null>;
  save(system: string, tokens: T): Promise<void>;
} {
  return {
    load: (system) => loadTokens<T>(db, system, key),
    save: (system, tokens) => saveTokens(db, system, tokens, key, clock.now()),
  };
}
