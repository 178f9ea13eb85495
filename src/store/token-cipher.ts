import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { ConcordError } from '../shared/errors/index.js';

export interface SealedTokens {
  ciphertext: string;
  iv: string;
  tag: string;
}

/**
 * AES-256-GCM with a fresh 96-bit IV per save. The system name is authenticated data, so a row copied
 * onto another system's row does not decrypt there.
 */
export function sealTokens(key: Buffer, system: string, tokens: unknown): SealedTokens {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(aad(system));
  const ciphertext = Buffer.concat([cipher.update(JSON.stringify(tokens), 'utf8'), cipher.final()]);
  return { ciphertext: ciphertext.toString('base64'), iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64') };
}

export function openTokens(key: Buffer, system: string, sealed: SealedTokens): unknown {
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64'));
    decipher.setAAD(aad(system));
    decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
    const plain = Buffer.concat([decipher.update(Buffer.from(sealed.ciphertext, 'base64')), decipher.final()]);
    return JSON.parse(plain.toString('utf8')) as unknown;
  } catch (cause) {
    throw new ConcordError(
      'CONCORD_ERR_STORE_TOKEN_DECRYPT_FAILED',
      `tokens of system "${system}": expected a row encrypted with the current CONCORD_SECRET_KEY, found one that does not ` +
        'authenticate (another key, or the row was altered). Allowed: restore the key, or authorize the system again.',
      { system },
      { cause },
    );
  }
}

function aad(system: string): Buffer {
  return Buffer.from(`concord-tokens:${system}`, 'utf8');
}
