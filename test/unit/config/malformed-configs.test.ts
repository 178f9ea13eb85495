/**
 * Every malformed daemon config fixture under test/fixtures/config/ and exactly what `concord validate`
 * prints for it: file:line:col, code and message (paths relative to test/fixtures/config/).
 */
import { describe, expect, it } from 'vitest';
import { loadDaemonConfig } from '../../../src/config/daemon-config.js';
import { formatProblem } from '../../../src/config/problems.js';

const root = 'test/fixtures/config';

const expected: Record<string, string[]> = {
  'bad-database-url.yaml': [
    "bad-database-url.yaml:2:8  CONCORD_ERR_CONFIG_INVALID_VALUE  database.url: \"mysql://root@localhost/concord\" is not valid: expected a SQLite file path (./data/concord.db), a sqlite: URL or a postgres:// URL",
  ],
  'bad-log-level.yaml': [
    "bad-log-level.yaml:3:10  CONCORD_ERR_CONFIG_INVALID_VALUE  logging.level: \"verbose\" is not allowed; allowed: fatal, error, warn, info, debug, trace, silent",
  ],
  'bad-system-name.yaml': [
    "bad-system-name.yaml:2:3  CONCORD_ERR_CONFIG_INVALID_VALUE  systems: the name \"hub_spot\" is not valid: expected a system id: lowercase letters and digits, no separators",
  ],
  'constructor-key.yaml': [
    "constructor-key.yaml:5:7  CONCORD_ERR_CONFIG_FORBIDDEN_KEY  the key \"constructor\" is not allowed: __proto__, constructor and prototype are refused so that no value can reach an object prototype",
  ],
  'emulator-not-loopback.yaml': [
    "emulator-not-loopback.yaml:3:15  CONCORD_ERR_CONFIG_INSECURE_URL  systems.mailchimp.base_url: \"http://us1.api.mailchimp.com/3.0\" is not on this machine, but emulator: true allows only 127.0.0.1, ::1 or localhost",
  ],
  'http-without-emulator.yaml': [
    "http-without-emulator.yaml:3:15  CONCORD_ERR_CONFIG_INSECURE_URL  systems.hubspot.base_url: \"http://api.hubapi.com\" is not https; only a local emulator (emulator: true) may use http://",
  ],
  'missing-secret-file.yaml': [
    "missing-secret-file.yaml:2:21  CONCORD_ERR_CONFIG_SECRET_FILE  admin_token_file: cannot read the secret file \"./secrets/no-such-token\" (ENOENT): expected a readable, non-empty file",
  ],
  'missing-systems.yaml': [
    "missing-systems.yaml:2:1  CONCORD_ERR_CONFIG_MISSING_KEY  missing required key \"systems\": expected a map",
  ],
  'port-not-number.yaml': [
    "port-not-number.yaml:2:9  CONCORD_ERR_CONFIG_INVALID_VALUE  http.port: expected a number, found \"eighty\"",
  ],
  'private-address.yaml': [
    "private-address.yaml:3:15  CONCORD_ERR_CONFIG_INSECURE_URL  systems.onec.base_url: \"192.168.1.10\" is a private, loopback or link-local address; only a local emulator (emulator: true) may use one",
  ],
  'public-host-without-token.yaml': [
    "public-host-without-token.yaml:2:9  CONCORD_ERR_CONFIG_MISSING_KEY  http.host \"0.0.0.0\" is reachable from other machines, so http.admin_token (or admin_token_file) is required for the admin endpoints",
  ],
  'unknown-key.yaml': [
    "unknown-key.yaml:2:1  CONCORD_ERR_CONFIG_UNKNOWN_KEY  unknown key \"sytems\" (did you mean \"systems\"?); allowed keys: database, http, redis, systems, mappings, logging",
  ],
  'unset-env.yaml': [
    "unset-env.yaml:5:21  CONCORD_ERR_CONFIG_ENV_UNSET  environment variable HUBSPOT_ACCESS_TOKEN is not set (used as ${HUBSPOT_ACCESS_TOKEN}): set it, or give a default with ${HUBSPOT_ACCESS_TOKEN:-default}, or read it from a file with <key>_file",
  ],
};

describe('malformed daemon configs', () => {
  for (const [name, lines] of Object.entries(expected)) {
    it(name, async () => {
      const result = await loadDaemonConfig(`${root}/${name}`, {}, { cwd: process.cwd() });
      expect(result.ok).toBe(false);
      const problems = result.ok ? [] : result.problems;
      expect(problems.map((p) => formatProblem(p).replaceAll(`${root}/`, ''))).toEqual(lines);
    });
  }
});
