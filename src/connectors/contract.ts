/**
 * The connector contract (DESIGN §4). The engine and the runtime see systems only through this
 * interface; a connector knows nothing of the engine or the store.
 */
import type { Logger } from '../shared/logger.js';
import type { Clock } from '../shared/clock.js';
import type { Cursor, RemoteId, SystemId } from '../shared/ids.js';
import type { HttpClient } from './http/http-types.js';
import type { RateLimitHeaderNames } from './http/rate-limit-headers.js';
import type { ConnectorHttpDeps } from './connector-http.js';

export type ObjectName = string;

/** A record as read from a system. `fields` holds the provider's own field names (nested objects as they come). */
export interface RemoteRecord {
  id: RemoteId;
  /** Opaque version: etag, SyncToken, DataVersion, updatedAt. Equal versions mean an unchanged record. */
  version: string;
  /** ISO-8601 time of the record's last modification, as the system reports it. */
  modifiedAt: string;
  fields: Record<string, unknown>;
  /** Per-field change times (ISO-8601) where the API gives them (HubSpot property history). */
  fieldTimes?: Record<string, string>;
  /** True when the record was deleted or archived on the system. */
  deleted?: boolean;
}

export interface ChangePage {
  records: RemoteRecord[];
  /** Cursor to store once this page is in the inbox; the next call resumes from it. */
  nextCursor: Cursor;
  /** True on the last page of this poll. */
  done: boolean;
}

export type FieldType = 'string' | 'number' | 'boolean' | 'date' | 'datetime' | 'list' | 'object' | 'reference';

export interface FieldSpec {
  type: FieldType;
  /** Read-only fields can be mapped only towards the other side. Default is false. */
  readOnly?: boolean;
}

export interface ObjectSpec {
  /** Field name (or path) of the record's id. */
  idField: string;
  /** Where the version comes from, e.g. 'updatedAt', 'etag', 'SyncToken'. Documentation only. */
  versionSource: string;
  fields: Record<string, FieldSpec>;
  /** Required params of the object (e.g. Mailchimp `list_id`). Default is none. */
  params?: string[];
}

export interface ConnectorCapabilities {
  /** How change cursors work: a modification time ('timestamp') or an opaque token ('token'). */
  cursorKind: 'timestamp' | 'token';
  /** Whether `listChanged` reports deletes. Default is false: deletes are found by reconcile. */
  changesIncludeDeletes: boolean;
  /** Whether the system can push changes to a webhook. Default is false: polling only. */
  webhooks: boolean;
  /** Most operations one write call may carry. Default is 1 (no batch endpoint). */
  maxWriteBatch: number;
  /** Most ids one `get` call may carry. Default is 1. */
  maxReadBatch: number;
  /** Whether writes can be conditioned on the version read (etag, SyncToken). Default is false. */
  optimisticConcurrency: boolean;
  /** Whether a create carrying an idempotency key is done at most once by the system. Default is false: creates are recovered by `find` on the match key. */
  idempotentCreate: boolean;
  /** What deleting does on this system. Default is 'none': records cannot be deleted by Concord. */
  delete: 'delete' | 'archive' | 'none';
  /** Whether counters can be written as a delta (Shopify inventory adjust). Default is false. */
  deltaWrites?: boolean;
}

/** A provider's published limits, for the runtime's limiter. Each absent field means "not published". */
export interface ConnectorLimits {
  /** Requests per rolling window for the account. */
  requests?: { count: number; perMs: number };
  /** Requests per day for the account. */
  daily?: number;
  /** Requests in flight at once (Mailchimp: 10 connections). */
  maxConcurrent?: number;
  /** Extra limits for calls tagged with `HttpRequest.limitGroup`. */
  groups?: Record<string, { count: number; perMs: number }>;
  /** Wait after a 429 that carries no Retry-After. */
  retryAfterDefaultMs: number;
  /** Names of the headers that report limits. The shared client already parses them into `HttpResponse.rateLimit`. */
  headers?: RateLimitHeaderNames;
}

export interface ConnectorContext {
  log: Logger;
  signal: AbortSignal;
  http: HttpClient;
  clock: Clock;
  /** Object params from the mapping (`list_id`, `calendar_id`), already interpolated. */
  params?: Record<string, string>;
}

export type WriteOp =
  | { kind: 'create'; ref: string; fields: Record<string, unknown>; idempotencyKey: string }
  | { kind: 'update'; ref: string; id: RemoteId; fields: Record<string, unknown>; ifVersion?: string; idempotencyKey: string;
      /** Counter fields written as deltas where the system supports it. */ deltas?: Record<string, number> }
  | { kind: 'delete'; ref: string; id: RemoteId; ifVersion?: string; idempotencyKey: string };

export type WriteErrorKind = 'stale-version' | 'not-found' | 'validation' | 'conflict' | 'rate-limited' | 'retryable' | 'auth' | 'permanent';

/** One result per op, in the order of the ops; `write` never throws for one item. */
export type WriteResult =
  | { ref: string; ok: true; record: RemoteRecord }
  | {
    ref: string; ok: false; error: { kind: WriteErrorKind; message: string; status?: number; retryAfterMs?: number };
    /**
     * The op reached the system in part (Mailchimp: the member was written, its tags were not), so it neither
     * failed nor succeeded: the engine leaves its journal intent open for recovery to read what landed.
     */
    unknown?: true;
  };

export interface VerifyResult {
  ok: boolean;
  message: string;
  /** Scopes or permissions found, where the API reports them. */
  scopes?: string[];
}

/** A webhook request as received, before any parsing: verification works on the raw body. */
export interface WebhookRequest {
  method: string;
  /** Path after `/webhooks/<system>`, with query string, e.g. `/s3cr3t?x=1`. */
  path: string;
  /** The full URL the provider called (used by signature schemes that sign the URL). */
  url: string;
  headers: Record<string, string | undefined>;
  rawBody: Buffer;
}

export interface WebhookSecrets {
  /** Signing secret (HubSpot client secret, Shopify app secret) or URL secret (Mailchimp). */
  secret: string;
  [key: string]: string | undefined;
}

export type Verification =
  | { ok: true }
  /** A handshake the provider expects to be answered (Graph validationToken, Mailchimp GET check). */
  | { ok: true; handshake: { status: number; contentType: string; body: string } }
  | { ok: false; reason: 'signature' | 'timestamp' | 'malformed' | 'missing-signature'; message: string };

/** What a webhook says changed. A hint: the engine reads the record itself before merging. */
export interface ChangeHint {
  object: ObjectName;
  id: RemoteId;
  /** The provider's event id, used to drop duplicates. */
  eventId: string;
  occurredAt: string;
  kind: 'upsert' | 'delete';
  /** Field values carried by the event, if any. Never trusted as truth. */
  fields?: Record<string, unknown>;
  /** The provider's event type (`contact.propertyChange`, `unsubscribe`), for logs and metrics. */
  eventType?: string;
}

export interface WebhookHandler {
  /** Pure and synchronous: verify signature and timestamp window against `now`. */
  verify(req: WebhookRequest, secrets: WebhookSecrets, now: Date): Verification;
  /** Pure: the events in a verified request. Throws `CONCORD_ERR_CONNECTOR_WEBHOOK_MALFORMED` on a body it cannot read. */
  parse(req: WebhookRequest): ChangeHint[];
}

export interface Connector {
  readonly system: SystemId;
  readonly capabilities: ConnectorCapabilities;
  readonly objects: Record<ObjectName, ObjectSpec>;
  /** Published limits from the connector's facts. Default: none declared, the runtime's own defaults apply. */
  readonly limits?: ConnectorLimits;
  verifyConnection(ctx: ConnectorContext): Promise<VerifyResult>;
  /** Records modified since `cursor` (null: from the beginning), page by page. */
  listChanged(object: ObjectName, cursor: Cursor | null, ctx: ConnectorContext): AsyncIterable<ChangePage>;
  /** Batched read; ids that no longer exist come back with `deleted: true`. */
  get(object: ObjectName, ids: RemoteId[], ctx: ConnectorContext): Promise<Map<RemoteId, RemoteRecord>>;
  /** Records whose `field` equals one of `values`: identity matching and create recovery. */
  find(object: ObjectName, field: string, values: string[], ctx: ConnectorContext): Promise<RemoteRecord[]>;
  /** Every id of the object, for reconciliation. Default: not supported (reconcile uses listChanged from null). */
  listIds?(object: ObjectName, ctx: ConnectorContext): AsyncIterable<RemoteId[]>;
  /** Batched write: at most `capabilities.maxWriteBatch` ops, one result per op. */
  write(object: ObjectName, ops: WriteOp[], ctx: ConnectorContext): Promise<WriteResult[]>;
  readonly webhook?: WebhookHandler;
  /**
   * Builds the authenticated client for `ctx.http` from the system's settings and the connector's facts
   * (base URL, auth, limit headers). The runtime wraps it with its limiter and retries. Default: the
   * runtime builds a client itself.
   */
  createHttpClient?(deps: ConnectorHttpDeps): HttpClient;
}

/** What the registry builds a connector from: the system's config entry. */
export interface ConnectorSettings {
  system: SystemId;
  baseUrl: string;
  credentials: Record<string, string>;
  /** True only for a system explicitly marked as a local emulator: allows http:// and loopback. */
  emulator: boolean;
  /** How long one request may go unanswered (the system's `request_timeout`). Default is the connector facts' limit, else 30 s. */
  requestTimeoutMs?: number;
}

export type ConnectorFactory = (settings: ConnectorSettings) => Connector;
