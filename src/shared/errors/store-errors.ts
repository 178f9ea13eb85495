import { defineErrors } from './error.js';

/** Error codes of the store area. Keep the README's error table in step (a test checks it). */
export const storeErrors = defineErrors({
  CONCORD_ERR_STORE_URL_INVALID: {
    meaning: 'The database URL is neither a SQLite file path, a sqlite: URL nor a postgres:// URL.',
    action: 'Set database.url to a file path such as ./data/concord.db, sqlite:./data/concord.db or postgres://user@host:5432/concord.',
  },
  CONCORD_ERR_STORE_URL_MISSING: {
    meaning: 'No database URL was given to a command that needs the state store.',
    action: 'Pass --database <url>, set CONCORD_DATABASE_URL, or set database.url in the config file given by --config.',
  },
  CONCORD_ERR_STORE_CONNECT_FAILED: {
    meaning: 'The state database could not be opened or did not answer.',
    action: 'Check that the SQLite file directory is writable, or that Postgres is running and the URL, user and database are right.',
  },
  CONCORD_ERR_STORE_MIGRATION_FAILED: {
    meaning: 'A schema migration of the state database failed; the database stays at the last migration that succeeded.',
    action: 'Read the cause in the message, fix it (permissions, disk space, a manual schema change) and run concord db migrate again.',
  },
  CONCORD_ERR_STORE_SCHEMA_NEWER: {
    meaning: 'The state database carries migrations this version of Concord does not know: it was migrated by a newer version.',
    action: 'Run the newer Concord version, or restore a backup of the database taken before the upgrade.',
  },
  CONCORD_ERR_STORE_SECRET_KEY_MISSING: {
    meaning: 'CONCORD_SECRET_KEY is not set, so OAuth tokens cannot be encrypted or decrypted.',
    action: 'Set CONCORD_SECRET_KEY to 32 random bytes in base64 or hex, e.g. the output of openssl rand -base64 32, and keep it with your other secrets.',
  },
  CONCORD_ERR_STORE_SECRET_KEY_INVALID: {
    meaning: 'CONCORD_SECRET_KEY is not 32 bytes of base64 or hex.',
    action: 'Generate a key with openssl rand -base64 32 (or openssl rand -hex 32) and set CONCORD_SECRET_KEY to it.',
  },
  CONCORD_ERR_STORE_TOKEN_DECRYPT_FAILED: {
    meaning: 'Stored tokens of a system could not be decrypted: the key differs from the one they were saved with, or the row was altered.',
    action: 'Use the CONCORD_SECRET_KEY the tokens were saved with; if it is lost, authorize the system again so fresh tokens are saved.',
  },
});
