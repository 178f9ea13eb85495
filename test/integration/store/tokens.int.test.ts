import { randomBytes } from 'node:crypto';
import { expect, it } from 'vitest';
import { createTokenStore, loadTokens, saveTokens } from '../../../src/store/index.js';
import type { TokenStore } from '../../../src/connectors/http/token-store.js';
import { describeEachDialect } from '../../support/db.js';

const key = randomBytes(32);
const now = new Date('2026-03-01T10:00:00.000Z');
const tokens = { accessToken: 'pat-na1-SECRET-ACCESS', refreshToken: 'REFRESH-SECRET-42', expiresAt: '2026-03-01T10:30:00.000Z' };

describeEachDialect('tokens at rest', (getStore) => {
  it('stores no plaintext, and loads back what was saved', async () => {
    const { db } = getStore();
    await saveTokens(db, 'hubspot', tokens, key, now);
    const row = await db.selectFrom('tokens').selectAll().where('system', '=', 'hubspot').executeTakeFirstOrThrow();
    const stored = JSON.stringify(row);
    for (const secret of ['SECRET-ACCESS', 'REFRESH-SECRET', Buffer.from('SECRET').toString('base64')]) expect(stored).not.toContain(secret);
    expect(row.expires_at).toBe(tokens.expiresAt);
    expect(await loadTokens(db, 'hubspot', key)).toEqual(tokens);
    expect(await loadTokens(db, 'nobody', key)).toBeNull();
  });

  it('a tampered row, another key or a row moved to another system fails with a coded error', async () => {
    const { db } = getStore();
    await saveTokens(db, 'xero', tokens, key, now);
    await expect(loadTokens(db, 'xero', randomBytes(32))).rejects.toMatchObject({ code: 'CONCORD_ERR_STORE_TOKEN_DECRYPT_FAILED' });

    const row = await db.selectFrom('tokens').selectAll().where('system', '=', 'xero').executeTakeFirstOrThrow();
    await db.insertInto('tokens').values({ ...row, system: 'zendesk' }).execute();
    await expect(loadTokens(db, 'zendesk', key)).rejects.toMatchObject({ code: 'CONCORD_ERR_STORE_TOKEN_DECRYPT_FAILED' });

    const bytes = Buffer.from(row.ciphertext, 'base64');
    bytes[0] = bytes[0]! ^ 0x01;
    await db.updateTable('tokens').set({ ciphertext: bytes.toString('base64') }).where('system', '=', 'xero').execute();
    const err = await loadTokens(db, 'xero', key).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'CONCORD_ERR_STORE_TOKEN_DECRYPT_FAILED' });
    expect((err as Error).message).toContain('xero');
  });

  it('serves as the HTTP client token store: a saved refresh survives a new store object', async () => {
    const { db } = getStore();
    const store: TokenStore = createTokenStore(db, key);
    expect(await store.load('shopify')).toBeNull();
    await store.save('shopify', { accessToken: 'a1', refreshToken: 'r1' });
    await store.save('shopify', { accessToken: 'a2', refreshToken: 'r2', expiresAt: '2026-03-01T11:00:00.000Z' });
    const reopened: TokenStore = createTokenStore(db, key);
    expect(await reopened.load('shopify')).toEqual({ accessToken: 'a2', refreshToken: 'r2', expiresAt: '2026-03-01T11:00:00.000Z' });
  });
});
