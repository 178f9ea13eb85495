/**
 * An in-memory connector that keeps the connector contract faithfully, for engine tests and the chaos suite:
 * versions change on every write, modification times come from a clock, writes respect `maxWriteBatch`,
 * updates honour `ifVersion`, creates honour idempotency keys when `idempotentCreate` is declared, deletes follow
 * the declared delete capability. Faults are injected on demand (per-item failures, stale-version answers, a
 * "crash" after a write reached the system but before its answer came back).
 */
import type {
  ChangePage, Connector, ConnectorCapabilities, ConnectorContext, ObjectSpec, RemoteRecord, VerifyResult,
  WriteErrorKind, WriteOp, WriteResult,
} from '../../src/connectors/contract.js';
import type { Clock } from '../../src/shared/clock.js';
import { asCursor, asRemoteId, asSystemId, type Cursor, type RemoteId } from '../../src/shared/ids.js';

interface StoredRecord {
  id: string;
  fields: Record<string, unknown>;
  version: number;
  modifiedAt: string;
  fieldTimes: Record<string, string>;
  deleted: boolean;
  /** Change sequence number, used as the change cursor. */
  seq: number;
}

export interface MemoryConnectorOptions {
  system: string;
  clock: Clock;
  /** Object names this connector serves. */
  objects: string[];
  capabilities?: Partial<ConnectorCapabilities>;
  /** Whether records carry per-field change times. Default is false. */
  fieldTimes?: boolean;
  /** Records per `listChanged` page. Default is 50. */
  pageSize?: number;
  /** Top-level fields a write silently leaves out, as a system does with a field it does not know. Default is none. */
  dropOnWrite?: string[];
}

export interface InjectedFailure {
  /** Which op fails: matched on the record id (updates/deletes) or on a field value (creates). */
  match: (op: WriteOp) => boolean;
  kind: WriteErrorKind;
  /** How many times it fires. Default is 1. */
  times?: number;
}

export interface MemoryConnector extends Connector {
  /** Every `write` call as it arrived: object and ops. */
  readonly writeCalls: Array<{ object: string; ops: WriteOp[] }>;
  /** Every `get` call: object and ids. */
  readonly getCalls: Array<{ object: string; ids: string[] }>;
  /** A change made by a user on the system (not through Concord). Returns the record. */
  put(object: string, fields: Record<string, unknown>, id?: string): RemoteRecord;
  edit(object: string, id: string, patch: Record<string, unknown>): RemoteRecord;
  remove(object: string, id: string): void;
  record(object: string, id: string): RemoteRecord | undefined;
  /** Live (not deleted) records. */
  all(object: string): RemoteRecord[];
  /** Makes matching ops fail with `kind`. */
  failOn(failure: InjectedFailure): void;
  /** The next write call applies its ops, then throws as a process crash or a lost connection would. */
  crashAfterNextWrite(): void;
  /** The next write call throws before any op reaches the system (the connection dropped on the way out). */
  crashBeforeNextWrite(): void;
  /** Count of successful creates per object, to prove nothing was created twice. */
  createCount(object: string): number;
}

const defaultCapabilities: ConnectorCapabilities = {
  cursorKind: 'token',
  changesIncludeDeletes: true,
  webhooks: false,
  maxWriteBatch: 10,
  maxReadBatch: 50,
  optimisticConcurrency: true,
  idempotentCreate: false,
  delete: 'archive',
};

function readPath(fields: Record<string, unknown>, path: string): unknown {
  let cur: unknown = fields;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object' || !Object.hasOwn(cur, part)) return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

export function createMemoryConnector(options: MemoryConnectorOptions): MemoryConnector {
  const capabilities: ConnectorCapabilities = { ...defaultCapabilities, ...options.capabilities };
  const stores = new Map<string, Map<string, StoredRecord>>();
  for (const o of options.objects) stores.set(o, new Map());
  const idempotencyKeys = new Map<string, string>();
  const failures: InjectedFailure[] = [];
  const creates = new Map<string, number>();
  const writeCalls: Array<{ object: string; ops: WriteOp[] }> = [];
  const getCalls: Array<{ object: string; ids: string[] }> = [];
  let seq = 0;
  let nextId = 1;
  let crashNext = false;
  let crashBefore = false;
  const pageSize = options.pageSize ?? 50;

  const objects: Record<string, ObjectSpec> = Object.fromEntries(
    options.objects.map((o) => [o, { idField: 'id', versionSource: 'counter', fields: {} }]),
  );

  function storeOf(object: string): Map<string, StoredRecord> {
    const s = stores.get(object);
    if (!s) throw new Error(`memory connector ${options.system}: unknown object "${object}"`);
    return s;
  }

  function toRemote(r: StoredRecord): RemoteRecord {
    const out: RemoteRecord = {
      id: asRemoteId(r.id),
      version: String(r.version),
      modifiedAt: r.modifiedAt,
      fields: structuredClone(r.fields),
    };
    if (options.fieldTimes) out.fieldTimes = { ...r.fieldTimes };
    if (r.deleted) out.deleted = true;
    return out;
  }

  function touch(r: StoredRecord, changed: string[]): void {
    const now = options.clock.now().toISOString();
    r.version += 1;
    r.modifiedAt = now;
    r.seq = ++seq;
    for (const k of changed) r.fieldTimes[k] = now;
  }

  function create(object: string, fields: Record<string, unknown>, id?: string): StoredRecord {
    const rid = id ?? `${options.system}-${nextId++}`;
    const r: StoredRecord = { id: rid, fields: structuredClone(fields), version: 0, modifiedAt: '', fieldTimes: {}, deleted: false, seq: 0 };
    touch(r, Object.keys(fields));
    storeOf(object).set(rid, r);
    return r;
  }

  function patch(r: StoredRecord, fields: Record<string, unknown>): void {
    const changed: string[] = [];
    for (const [k, v] of Object.entries(fields)) {
      if (JSON.stringify(r.fields[k]) !== JSON.stringify(v)) changed.push(k);
      if (v === undefined) delete r.fields[k];
      else r.fields[k] = structuredClone(v);
    }
    touch(r, changed);
  }

  function injected(op: WriteOp): WriteErrorKind | undefined {
    const i = failures.findIndex((f) => f.match(op));
    if (i < 0) return undefined;
    const f = failures[i]!;
    const left = (f.times ?? 1) - 1;
    if (left <= 0) failures.splice(i, 1);
    else f.times = left;
    return f.kind;
  }

  function fail(ref: string, kind: WriteErrorKind, message: string): WriteResult {
    return { ref, ok: false, error: { kind, message } };
  }

  function applyOp(object: string, op: WriteOp): WriteResult {
    const kind = injected(op);
    if (kind) return fail(op.ref, kind, `injected ${kind}`);
    const store = storeOf(object);
    if (op.kind === 'create') {
      const known = capabilities.idempotentCreate ? idempotencyKeys.get(op.idempotencyKey) : undefined;
      if (known) return { ref: op.ref, ok: true, record: toRemote(store.get(known)!) };
      const r = create(object, op.fields);
      idempotencyKeys.set(op.idempotencyKey, r.id);
      creates.set(object, (creates.get(object) ?? 0) + 1);
      return { ref: op.ref, ok: true, record: toRemote(r) };
    }
    const r = store.get(op.id);
    if (!r || r.deleted) return fail(op.ref, 'not-found', `${object}/${op.id} not found`);
    if (capabilities.optimisticConcurrency && op.ifVersion !== undefined && op.ifVersion !== String(r.version)) {
      return fail(op.ref, 'stale-version', `${object}/${op.id} is at version ${r.version}, not ${op.ifVersion}`);
    }
    if (op.kind === 'delete') {
      if (capabilities.delete === 'none') return fail(op.ref, 'permanent', `${options.system} cannot delete`);
      r.deleted = true;
      touch(r, []);
      if (capabilities.delete === 'delete') r.fields = {};
      return { ref: op.ref, ok: true, record: toRemote(r) };
    }
    const fields = { ...op.fields };
    for (const k of options.dropOnWrite ?? []) delete fields[k];
    for (const [k, d] of Object.entries(op.deltas ?? {})) {
      if (!capabilities.deltaWrites) return fail(op.ref, 'validation', `${options.system} takes no delta writes`);
      fields[k] = Number(r.fields[k] ?? 0) + d;
    }
    patch(r, fields);
    return { ref: op.ref, ok: true, record: toRemote(r) };
  }

  return {
    system: asSystemId(options.system),
    capabilities,
    objects,
    writeCalls,
    getCalls,
    async verifyConnection(): Promise<VerifyResult> {
      return { ok: true, message: 'in memory' };
    },
    async *listChanged(object: string, cursor: Cursor | null): AsyncIterable<ChangePage> {
      const from = cursor === null ? 0 : Number(cursor);
      const changed = [...storeOf(object).values()]
        .filter((r) => r.seq > from && (capabilities.changesIncludeDeletes || !r.deleted))
        .sort((a, b) => a.seq - b.seq);
      if (changed.length === 0) {
        yield { records: [], nextCursor: asCursor(String(from)), done: true };
        return;
      }
      for (let i = 0; i < changed.length; i += pageSize) {
        const page = changed.slice(i, i + pageSize);
        const last = page[page.length - 1]!;
        yield { records: page.map(toRemote), nextCursor: asCursor(String(last.seq)), done: i + pageSize >= changed.length };
      }
    },
    async get(object: string, ids: RemoteId[]): Promise<Map<RemoteId, RemoteRecord>> {
      if (ids.length > capabilities.maxReadBatch) throw new Error(`get of ${ids.length} ids exceeds maxReadBatch ${capabilities.maxReadBatch}`);
      getCalls.push({ object, ids: [...ids] });
      const out = new Map<RemoteId, RemoteRecord>();
      for (const id of ids) {
        const r = storeOf(object).get(id);
        out.set(id, r ? toRemote(r) : { id, version: '0', modifiedAt: options.clock.now().toISOString(), fields: {}, deleted: true });
      }
      return out;
    },
    async find(object: string, field: string, values: string[]): Promise<RemoteRecord[]> {
      const wanted = new Set(values);
      return [...storeOf(object).values()]
        .filter((r) => !r.deleted && wanted.has(String(readPath(r.fields, field))))
        .map(toRemote);
    },
    async *listIds(object: string): AsyncIterable<RemoteId[]> {
      yield [...storeOf(object).values()].filter((r) => !r.deleted).map((r) => asRemoteId(r.id));
    },
    async write(object: string, ops: WriteOp[], _ctx: ConnectorContext): Promise<WriteResult[]> {
      if (ops.length > capabilities.maxWriteBatch) throw new Error(`write of ${ops.length} ops exceeds maxWriteBatch ${capabilities.maxWriteBatch}`);
      writeCalls.push({ object, ops: structuredClone(ops) });
      if (crashBefore) {
        crashBefore = false;
        throw new Error('simulated crash before the write reached the system');
      }
      const results = ops.map((op) => applyOp(object, op));
      if (crashNext) {
        crashNext = false;
        throw new Error('simulated crash after the write reached the system');
      }
      return results;
    },
    put(object, fields, id) {
      return toRemote(create(object, fields, id));
    },
    edit(object, id, fields) {
      const r = storeOf(object).get(id);
      if (!r) throw new Error(`memory connector: no ${object}/${id}`);
      patch(r, fields);
      return toRemote(r);
    },
    remove(object, id) {
      const r = storeOf(object).get(id);
      if (!r) throw new Error(`memory connector: no ${object}/${id}`);
      r.deleted = true;
      touch(r, []);
    },
    record(object, id) {
      const r = storeOf(object).get(id);
      return r ? toRemote(r) : undefined;
    },
    all(object) {
      return [...storeOf(object).values()].filter((r) => !r.deleted).map(toRemote);
    },
    failOn(failure) {
      failures.push({ ...failure });
    },
    crashAfterNextWrite() {
      crashNext = true;
    },
    crashBeforeNextWrite() {
      crashBefore = true;
    },
    createCount(object) {
      return creates.get(object) ?? 0;
    },
  };
}
