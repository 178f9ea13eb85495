import { ConcordError } from '../shared/errors/index.js';

export type DatabaseTarget =
  | { dialect: 'sqlite'; /** A file path, or ':memory:'. */ file: string }
  | { dialect: 'postgres'; connectionString: string };

/**
 * Reads `database.url`: a plain file path or a `sqlite:` URL (`sqlite:./data/concord.db`,
 * `sqlite:///var/lib/concord/state.db`, `sqlite::memory:`) means SQLite; `postgres://` or
 * `postgresql://` means Postgres. Anything else with a scheme is refused rather than taken for a file name.
 */
export function parseDatabaseUrl(url: string): DatabaseTarget {
  const trimmed = url.trim();
  if (/^postgres(ql)?:\/\//i.test(trimmed)) return { dialect: 'postgres', connectionString: trimmed };
  if (/^sqlite:/i.test(trimmed)) {
    let rest = trimmed.slice('sqlite:'.length);
    if (rest.startsWith('//')) rest = rest.slice(2);
    if (rest === '') throw invalidUrl(url);
    return { dialect: 'sqlite', file: rest };
  }
  // A Windows drive letter (C:\...) is a path, not a scheme.
  if (trimmed === '' || (/^[a-z][a-z0-9+.-]*:/i.test(trimmed) && !/^[a-z]:[\\/]/i.test(trimmed) && trimmed !== ':memory:')) {
    throw invalidUrl(url);
  }
  return { dialect: 'sqlite', file: trimmed };
}

/** The URL with its password replaced, for messages and logs. */
export function redactDatabaseUrl(url: string): string {
  return url.replace(/^([a-z]+:\/\/[^:/@]+):[^@]*@/i, '$1:***@');
}

function invalidUrl(url: string): ConcordError {
  return new ConcordError(
    'CONCORD_ERR_STORE_URL_INVALID',
    `database.url: expected a SQLite file path, a sqlite: URL or a postgres:// URL, found "${redactDatabaseUrl(url)}". ` +
      'Allowed: ./data/concord.db, sqlite:./data/concord.db, sqlite::memory:, postgres://user@host:5432/db.',
    { url: redactDatabaseUrl(url) },
  );
}
