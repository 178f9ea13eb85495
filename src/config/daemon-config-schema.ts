/**
 * The daemon config (`config/concord.yaml`): database, HTTP server, Redis, systems, mappings directory,
 * logging. One zod schema gives the types, the validation and the JSON Schema (`concord schema`).
 * Unknown keys are errors. `${VAR}` / `${VAR:-default}` and `<key>_file` are resolved before this
 * schema sees the data (see daemon-config.ts).
 */
import { z } from 'zod';
import { parseDuration } from '../mapping/duration.js';
import { systemIdPattern } from './mapping-schema.js';

export const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** A SQLite file path, a `sqlite:` URL, or a `postgres://` / `postgresql://` URL. */
const databaseUrl = z.string().min(1).refine(
  (url) => !/^[a-z][a-z0-9+.-]*:/i.test(url) || /^(sqlite:|postgres(ql)?:\/\/)/i.test(url),
  'a SQLite file path (./data/concord.db), a sqlite: URL or a postgres:// URL',
);

const secret = z.string().min(1);

/** Milliseconds as a number, or a duration as mapping files write them (`500ms`, `10s`, `2m`). */
const requestTimeout = z.union([
  z.number().int().positive(),
  z.string().regex(/^[1-9]\d*(ms|s|m|h)$/, 'milliseconds (10000) or a duration such as 500ms, 10s or 2m'),
]);

const rateLimit = z.strictObject({
  /** Requests per second for this account. Default is the connector's published limit. */
  per_second: z.number().positive().optional(),
  /** Requests in flight at once. Default is the connector's published cap (Mailchimp: 10). */
  max_concurrent: z.number().int().positive().optional(),
  /** Share of the published limit Concord allows itself. Default is 0.85. */
  headroom: z.number().gt(0).max(1).optional(),
});

export const systemConfigSchema = z.strictObject({
  /** The connector kind (`hubspot`, `mailchimp`, ...). Default is the system's own name. */
  connector: z.string().regex(systemIdPattern, 'a connector id: lowercase letters and digits, no separators').optional()
    .describe('The connector kind (hubspot, mailchimp, ...). Default is the system id.'),
  /** A disabled system needs no credentials; pairs that use it are loaded but do not run. Default is true. */
  enabled: z.boolean().default(true).describe('false keeps the system off: no credentials needed, its pairs do not run. Default is true.'),
  /** The API base URL: https, except for a local emulator. */
  base_url: z.url({ protocol: /^https?$/, error: 'an http(s) URL such as https://api.hubapi.com' })
    .describe('API base URL: https, except for a local emulator.'),
  /** Marks a local emulator: the only case where http:// and loopback addresses are allowed. Default is false. */
  emulator: z.boolean().default(false).describe('true only for a local emulator: then http:// on 127.0.0.1, ::1 or localhost is allowed. Default is false.'),
  /** Connector-specific credentials (api_key, client_id, client_secret, refresh_token, ...); each may be given as <key>_file. */
  credentials: z.record(z.string().min(1), z.string()).default({})
    .describe('Connector credentials (access_token, api_key, client_id, client_secret, refresh_token); each may be <key>_file.'),
  /** The secret webhooks are signed with. May be given as webhook_secret_file. */
  webhook_secret: secret.optional().describe('The secret webhooks are signed with (or carry, for Mailchimp).'),
  webhook_secret_file: z.string().min(1).optional().describe('File holding webhook_secret; wins over webhook_secret.'),
  rate_limit: rateLimit.optional().describe('Overrides of the connector\'s published rate limit for this account.'),
  /** How long one API request may go unanswered. Default is the connector's own limit (HubSpot 30 s, Mailchimp 120 s), else 30 s. */
  request_timeout: requestTimeout.optional()
    .describe('How long one API request may go unanswered before it fails as a timeout: milliseconds or a duration such as 10s. Default is the connector\'s own limit, else 30s.'),
});

/** The system's `request_timeout` in milliseconds, if set. */
export function requestTimeoutMsOf(system: Pick<SystemConfig, 'request_timeout'>): number | undefined {
  const t = system.request_timeout;
  if (t === undefined || typeof t === 'number') return t;
  const parsed = parseDuration(t);
  return parsed.ok ? parsed.ms : undefined;
}

export const daemonConfigSchema = z.strictObject({
  database: z.strictObject({
    /** Default is ./data/concord.db (SQLite), relative to the working directory. */
    url: databaseUrl.default('./data/concord.db').describe('SQLite file path (default ./data/concord.db), sqlite: URL, or postgres:// URL.'),
    url_file: z.string().min(1).optional(),
  }).default({ url: './data/concord.db' }),
  http: z.strictObject({
    /** Default is 127.0.0.1: admin endpoints stay on this machine unless configured otherwise. */
    host: z.string().min(1).default('127.0.0.1'),
    port: z.number().int().min(0).max(65535).default(8787),
    /** Bearer token for admin endpoints; required by the daemon when host is not loopback. */
    admin_token: z.string().min(16, 'at least 16 characters').optional()
      .describe('Bearer token for admin endpoints; required when host is not loopback.'),
    admin_token_file: z.string().min(1).optional(),
  }).default({ host: '127.0.0.1', port: 8787 }),
  redis: z.strictObject({
    url: z.string().regex(/^rediss?:\/\//, 'a redis:// or rediss:// URL').optional(),
    url_file: z.string().min(1).optional(),
  }).optional(),
  systems: z.record(z.string().regex(systemIdPattern, 'a system id: lowercase letters and digits, no separators'), systemConfigSchema),
  /** Directory of mapping files. Default is ./mappings, relative to the working directory. */
  mappings: z.string().min(1).default('./mappings').describe('Directory of mapping files. Default is ./mappings.'),
  logging: z.strictObject({
    level: z.enum(logLevels).default('info'),
  }).default({ level: 'info' }),
});

export type DaemonConfig = z.output<typeof daemonConfigSchema>;
export type SystemConfig = z.output<typeof systemConfigSchema>;
