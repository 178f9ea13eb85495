import { describe, expect, it } from 'vitest';
import { parseDatabaseUrl, redactDatabaseUrl } from '../../../src/store/database-url.js';

describe('database.url', () => {
  it.each([
    ['./data/concord.db', { dialect: 'sqlite', file: './data/concord.db' }],
    ['/var/lib/concord/state.db', { dialect: 'sqlite', file: '/var/lib/concord/state.db' }],
    ['sqlite:./data/concord.db', { dialect: 'sqlite', file: './data/concord.db' }],
    ['sqlite:///var/lib/concord/state.db', { dialect: 'sqlite', file: '/var/lib/concord/state.db' }],
    ['sqlite::memory:', { dialect: 'sqlite', file: ':memory:' }],
    ['C:\\concord\\state.db', { dialect: 'sqlite', file: 'C:\\concord\\state.db' }],
    ['postgres://concord@db:5432/concord', { dialect: 'postgres', connectionString: 'postgres://concord@db:5432/concord' }],
    ['postgresql://concord:pw@db/concord', { dialect: 'postgres', connectionString: 'postgresql://concord:pw@db/concord' }],
  ])('reads %s', (url, expected) => {
    expect(parseDatabaseUrl(url)).toEqual(expected);
  });

  it.each(['mysql://root@localhost/concord', 'redis://127.0.0.1:6379', '', 'sqlite:'])('refuses %j with a coded error', (url) => {
    expect(() => parseDatabaseUrl(url)).toThrow(expect.objectContaining({ code: 'CONCORD_ERR_STORE_URL_INVALID' }));
  });

  it('never repeats a password in its messages', () => {
    expect(redactDatabaseUrl('postgres://concord:s3cret@db:5432/concord')).toBe('postgres://concord:***@db:5432/concord');
    let message = '';
    try { parseDatabaseUrl('mysql://root:s3cret@localhost/x'); } catch (e) { message = (e as Error).message; }
    expect(message).toContain('mysql://root:***@localhost/x');
    expect(message).not.toContain('s3cret');
  });
});
