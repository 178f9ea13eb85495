import { defineErrors } from './error.js';

/** Error codes of the store area. Keep the README's error table in step (a test checks it). */
export const storeErrors = defineErrors({
  CONCORD_ERR_STORE_URL_INVALID: {
    meaning: 'The database URL is neither a SQLite file path, a `sqlite:` URL nor a `postgres://` URL.',
    action: 'Set `database.url` (or `--database`) to a file path such as `./data/concord.db`, to `sqlite:./data/concord.db`, or to `postgres://user@host:5432/concord`.',
  },
  CONCORD_ERR_STORE_CONNECT_FAILED: {
    meaning: 'The state database could not be opened or did not answer.',
    action: 'Check that the SQLite file and its directory are writable by the user Concord runs as, or that Postgres is running and the URL, user, password and database name are right.',
  },
  CONCORD_ERR_STORE_MIGRATION_FAILED: {
    meaning: 'A schema migration of the state database failed; the database stays at the last migration that succeeded.',
    action: 'Read the cause in the message, fix it (permissions, disk space, a manual schema change) and run `concord db migrate` again.',
  },
  CONCORD_ERR_STORE_SCHEMA_NEWER: {
    meaning: 'The state database carries migrations this version of Concord does not know: a newer version migrated it.',
    action: 'Run the Concord version that migrated it (or a newer one), or restore a backup of the database taken before that upgrade.',
  },
  CONCORD_ERR_STORE_SECRET_KEY_MISSING: {
    meaning: '`CONCORD_SECRET_KEY` is not set, so OAuth tokens cannot be encrypted or decrypted.',
    action: 'Set `CONCORD_SECRET_KEY` to 32 random bytes in base64 or hex (`openssl rand -base64 32`) and keep it with your other secrets.',
  },
  CONCORD_ERR_STORE_SECRET_KEY_INVALID: {
    meaning: '`CONCORD_SECRET_KEY` is not 32 bytes of base64 or hex.',
    action: 'Generate a key with `openssl rand -base64 32` (or `openssl rand -hex 32`) and set `CONCORD_SECRET_KEY` to it.',
  },
  CONCORD_ERR_STORE_TOKEN_DECRYPT_FAILED: {
    meaning: 'The stored tokens of a system could not be decrypted: the key differs from the one they were saved with, or the row was altered.',
    action: 'Use the `CONCORD_SECRET_KEY` the tokens were saved with; if it is lost, authorize the system again so that fresh tokens are saved.',
  },
});
