import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { z } from 'zod';
import { ConcordError } from '../shared/errors/index.js';
import { deepFreeze } from '../shared/deep-freeze.js';

/**
 * The schema of `<id>.connector.yaml`: a provider's facts as data (auth, base URL, limits and their
 * headers, pagination, batch sizes, webhook scheme, objects). Behaviour stays in TypeScript; facts carry
 * their source so a reader can check them against the provider's documentation.
 */
const fieldSchema = z.strictObject({
  type: z.enum(['string', 'number', 'boolean', 'date', 'datetime', 'list', 'object', 'reference']),
  readOnly: z.boolean().optional(),
});

const objectSchema = z.strictObject({
  /** Path of the object's collection, relative to the base URL; `{param}` placeholders come from mapping params. */
  path: z.string().min(1),
  idField: z.string().min(1),
  versionSource: z.string().min(1),
  /** Field holding the record's last modification time, used by change polling. */
  modifiedField: z.string().min(1),
  params: z.array(z.string()).optional(),
  /** Fields `find` can look records up by. */
  searchable: z.array(z.string()).default([]),
  fields: z.record(z.string(), fieldSchema),
});

const authSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('bearer'), credential: z.string() }),
  z.strictObject({ kind: z.literal('basic'), username: z.string(), passwordCredential: z.string() }),
  z.strictObject({ kind: z.literal('api-key'), header: z.string(), credential: z.string(), prefix: z.string().optional() }),
  z.strictObject({
    kind: z.literal('oauth2'),
    authorizeUrl: z.url(),
    /** Absolute, or relative to the base URL (so an emulator serves it too). */
    tokenUrl: z.string(),
    clientIdCredential: z.string(),
    clientSecretCredential: z.string(),
    accessTokenLifetimeSeconds: z.number().int().positive().optional(),
    refreshBeforeSeconds: z.number().int().nonnegative().default(300),
  }),
]);

const windowSchema = z.strictObject({ count: z.number().int().positive(), perMs: z.number().int().positive() });

const rateLimitHeadersSchema = z.strictObject({
  limit: z.string().optional(),
  remaining: z.string().optional(),
  intervalMs: z.string().optional(),
  reset: z.string().optional(),
  resetKind: z.enum(['epoch-seconds', 'delta-seconds', 'epoch-milliseconds']).optional(),
  dailyLimit: z.string().optional(),
  dailyRemaining: z.string().optional(),
  retryAfter: z.string().optional(),
});

export const connectorFactsSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9]+$/, 'system ids are lowercase letters and digits, no separators'),
  name: z.string(),
  docs: z.url(),
  /** May hold `{placeholders}` filled from credentials (Mailchimp `{dc}`). */
  baseUrl: z.string(),
  auth: z.array(authSchema).min(1),
  limits: z.strictObject({
    requests: windowSchema.optional(),
    daily: z.number().int().positive().optional(),
    search: windowSchema.optional(),
    /** Most requests in flight at once per account. Default is no limit. */
    maxConcurrent: z.number().int().positive().optional(),
    requestTimeoutMs: z.number().int().positive().optional(),
    /** Wait after a 429 that carries no Retry-After. */
    retryAfterDefaultMs: z.number().int().nonnegative(),
    headers: rateLimitHeadersSchema.default({}),
  }),
  pagination: z.strictObject({
    kind: z.enum(['after-cursor', 'offset-count']),
    maxPageSize: z.number().int().positive(),
    /** Most results one query can page through (HubSpot search: 10,000). Default is unlimited. */
    maxResultWindow: z.number().int().positive().optional(),
  }),
  batch: z.strictObject({
    read: z.number().int().positive(),
    readWithHistory: z.number().int().positive().optional(),
    write: z.number().int().positive(),
    findValues: z.number().int().positive().optional(),
  }),
  webhook: z.strictObject({
    scheme: z.enum(['hubspot-signature', 'url-secret']),
    toleranceMs: z.number().int().positive().optional(),
    headers: z.record(z.string(), z.string()).default({}),
    contentType: z.string(),
  }),
  objects: z.record(z.string(), objectSchema),
  notes: z.array(z.strictObject({
    fact: z.string(),
    source: z.url(),
    confidence: z.enum(['confirmed', 'secondary', 'uncertain']),
  })).default([]),
});

export type ConnectorFacts = z.infer<typeof connectorFactsSchema>;
export type ObjectFacts = ConnectorFacts['objects'][string];

/** Validates facts already parsed from YAML; `where` names the file in errors. */
export function parseConnectorFacts(data: unknown, where: string): ConnectorFacts {
  const result = connectorFactsSchema.safeParse(data);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new ConcordError('CONCORD_ERR_CONNECTOR_FACTS_INVALID',
      `${where}: at "${issue.path.join('.')}": ${issue.message}`, { issues: result.error.issues.length });
  }
  return deepFreeze(result.data);
}

/** Reads and validates a facts file beside a connector module: `loadConnectorFacts(new URL('./x.connector.yaml', import.meta.url))`. */
export function loadConnectorFacts(file: URL): ConnectorFacts {
  // The build copies facts files into dist/ beside the compiled modules (scripts/copy-assets.mjs).
  const path = fileURLToPath(file);
  const text = readFileSync(path, 'utf8');
  // Core schema: no custom tags; few aliases; duplicate keys are errors.
  return parseConnectorFacts(parse(text, { schema: 'core', maxAliasCount: 20, uniqueKeys: true }), path);
}
