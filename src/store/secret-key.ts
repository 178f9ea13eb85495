import { ConcordError } from '../shared/errors/index.js';

export const SECRET_KEY_VARIABLE = 'CONCORD_SECRET_KEY';

/**
 * The 32-byte key that encrypts tokens at rest, from CONCORD_SECRET_KEY as base64 (standard or URL
 * alphabet) or 64 hex digits. A missing or malformed key is a coded error naming the variable: tokens
 * are never stored unencrypted as a fallback.
 */
export function loadSecretKey(env: Record<string, string | undefined> = process.env): Buffer {
  const raw = env[SECRET_KEY_VARIABLE]?.trim();
  if (raw === undefined || raw === '') {
    throw new ConcordError(
      'CONCORD_ERR_STORE_SECRET_KEY_MISSING',
      `${SECRET_KEY_VARIABLE}: expected 32 random bytes in base64 or hex, found the variable unset or empty. ` +
        'Generate one with: openssl rand -base64 32',
      { variable: SECRET_KEY_VARIABLE },
    );
  }
  const key = decode(raw);
  if (key === undefined || key.length !== 32) {
    const found = key === undefined ? `${raw.length} characters that are neither hex nor base64` : `${key.length} bytes`;
    throw new ConcordError(
      'CONCORD_ERR_STORE_SECRET_KEY_INVALID',
      `${SECRET_KEY_VARIABLE}: expected 32 bytes (44 base64 characters or 64 hex digits), found ${found}. ` +
        'Generate one with: openssl rand -base64 32',
      { variable: SECRET_KEY_VARIABLE },
    );
  }
  return key;
}

function decode(raw: string): Buffer | undefined {
  if (/^[0-9a-f]+$/i.test(raw) && raw.length % 2 === 0 && raw.length === 64) return Buffer.from(raw, 'hex');
  if (/^[A-Za-z0-9+/]+={0,2}$/.test(raw)) return Buffer.from(raw, 'base64');
  if (/^[A-Za-z0-9_-]+={0,2}$/.test(raw)) return Buffer.from(raw, 'base64url');
  return undefined;
}
