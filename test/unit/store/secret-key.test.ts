import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadSecretKey } from '../../../src/store/secret-key.js';
import { openTokens, sealTokens } from '../../../src/store/token-cipher.js';

describe('CONCORD_SECRET_KEY', () => {
  const key = randomBytes(32);

  it('accepts 32 bytes as base64, base64url or hex', () => {
    expect(loadSecretKey({ CONCORD_SECRET_KEY: key.toString('base64') })).toEqual(key);
    expect(loadSecretKey({ CONCORD_SECRET_KEY: key.toString('base64url') })).toEqual(key);
    expect(loadSecretKey({ CONCORD_SECRET_KEY: key.toString('hex') })).toEqual(key);
    expect(loadSecretKey({ CONCORD_SECRET_KEY: ` ${key.toString('hex')}\n` })).toEqual(key);
  });

  it('a missing key is a coded error naming the variable', () => {
    for (const env of [{}, { CONCORD_SECRET_KEY: '' }, { CONCORD_SECRET_KEY: '   ' }]) {
      const err = (() => { try { loadSecretKey(env); } catch (e) { return e; } })();
      expect(err).toMatchObject({ code: 'CONCORD_ERR_STORE_SECRET_KEY_MISSING' });
      expect((err as Error).message).toContain('CONCORD_SECRET_KEY');
    }
  });

  it('a short or malformed key is a coded error saying what was found', () => {
    const short = (() => { try { loadSecretKey({ CONCORD_SECRET_KEY: randomBytes(16).toString('base64') }); } catch (e) { return e; } })();
    expect(short).toMatchObject({ code: 'CONCORD_ERR_STORE_SECRET_KEY_INVALID' });
    expect((short as Error).message).toContain('found 16 bytes');
    expect(() => loadSecretKey({ CONCORD_SECRET_KEY: 'not a key!' })).toThrow(expect.objectContaining({ code: 'CONCORD_ERR_STORE_SECRET_KEY_INVALID' }));
  });
});

describe('token sealing', () => {
  it('each save uses a fresh IV, so equal tokens never give equal rows', () => {
    const key = randomBytes(32);
    const a = sealTokens(key, 'hubspot', { accessToken: 'x' });
    const b = sealTokens(key, 'hubspot', { accessToken: 'x' });
    expect(a.iv).not.toBe(b.iv);
    expect(a.ciphertext).not.toBe(b.ciphertext);
    expect(openTokens(key, 'hubspot', a)).toEqual({ accessToken: 'x' });
  });

  it('a changed tag fails to open with a coded error', () => {
    const key = randomBytes(32);
    const sealed = sealTokens(key, 'hubspot', { accessToken: 'x' });
    const tag = Buffer.from(sealed.tag, 'base64');
    tag[3] = tag[3]! ^ 0xff;
    expect(() => openTokens(key, 'hubspot', { ...sealed, tag: tag.toString('base64') }))
      .toThrow(expect.objectContaining({ code: 'CONCORD_ERR_STORE_TOKEN_DECRYPT_FAILED' }));
  });
});
