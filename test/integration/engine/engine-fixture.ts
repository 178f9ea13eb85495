/**
 * A pair of in-memory systems, a compiled mapping and a real store, wired as the engine expects. Each fixture
 * gets a pair name of its own, so the cases of one test file share a database without seeing each other's links.
 */
import { randomBytes } from 'node:crypto';
import { pino } from 'pino';
import { mappingSchema } from '../../../src/config/mapping-schema.js';
import type { Connector, ConnectorCapabilities, ConnectorContext, RemoteRecord } from '../../../src/connectors/contract.js';
import type { ConflictRecord } from '../../../src/engine/state/engine-store.js';
import type { EngineDeps } from '../../../src/engine/engine-deps.js';
import { createEngineStore } from '../../../src/engine/state/kysely-engine-store.js';
import { syncPair, type SyncReport } from '../../../src/engine/sync/sync-pair.js';
import { compileMapping } from '../../../src/mapping/compile.js';
import type { CompiledMapping, Side } from '../../../src/mapping/compiled-types.js';
import { createManualClock } from '../../../src/shared/clock.js';
import type { StoreDatabase } from '../../../src/store/database.js';
import { createMemoryConnector, type MemoryConnector } from '../../support/memory-connector.js';

export interface Fixture {
  deps: EngineDeps;
  left: MemoryConnector;
  right: MemoryConnector;
  clock: ReturnType<typeof createManualClock>;
  mapping: CompiledMapping;
  pair: string;
}

export interface FixtureOptions {
  /** The mapping document without `schema_version`, `pair`, `left` and `right`. */
  mapping: Record<string, unknown>;
  leftCapabilities?: Partial<ConnectorCapabilities>;
  rightCapabilities?: Partial<ConnectorCapabilities>;
  fieldTimes?: boolean;
  /** Other compiled mappings reachable by `lookup`. */
  others?: CompiledMapping[];
  pair?: string;
  clock?: ReturnType<typeof createManualClock>;
  rightDropsOnWrite?: string[];
}

export function compileTestMapping(pair: string, doc: Record<string, unknown>, left = 'crm', right = 'mail'): CompiledMapping {
  const parsed = mappingSchema.parse({
    schema_version: 1, pair, left: { system: left, object: 'contacts' }, right: { system: right, object: 'members' }, ...doc,
  });
  const compiled = compileMapping(parsed, { file: `${pair}.yaml` });
  if (!compiled.ok) throw new Error(`test mapping does not compile: ${JSON.stringify(compiled.problems)}`);
  return compiled.mapping;
}

export function uniquePair(prefix = 'p'): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

export function createFixture(getStore: () => StoreDatabase, options: FixtureOptions): Fixture {
  const pair = options.pair ?? uniquePair();
  const clock = options.clock ?? createManualClock('2026-03-01T09:00:00.000Z');
  const mapping = compileTestMapping(pair, options.mapping);
  const left = createMemoryConnector({
    system: 'crm', clock, objects: ['contacts'], fieldTimes: options.fieldTimes ?? false,
    ...(options.leftCapabilities ? { capabilities: options.leftCapabilities } : {}),
  });
  const right = createMemoryConnector({
    system: 'mail', clock, objects: ['members'], fieldTimes: options.fieldTimes ?? false,
    ...(options.rightDropsOnWrite ? { dropOnWrite: options.rightDropsOnWrite } : {}),
    ...(options.rightCapabilities ? { capabilities: options.rightCapabilities } : {}),
  });
  const log = pino({ level: 'silent' });
  const mappings = new Map([[pair, mapping], ...(options.others ?? []).map((m) => [m.pair, m] as const)]);
  const deps: EngineDeps = {
    mapping,
    connectors: { left: left as Connector, right: right as Connector },
    store: createEngineStore(getStore().db, clock),
    clock,
    log,
    mappings,
    contextFor: (side: Side): ConnectorContext => ({
      log, signal: new AbortController().signal, clock, params: mapping[side].params,
      http: { request: () => Promise.reject(new Error('no HTTP in engine tests')) } as unknown as ConnectorContext['http'],
    }),
  };
  return { deps, left, right, clock, mapping, pair };
}

type Fields = Record<string, unknown>;

/** Puts `fields` on the left and syncs, so the right holds a copy linked to it; `r` is that copy as it stands then. */
export async function linkedRecord(f: Fixture, fields: Fields): Promise<{ l: RemoteRecord; r: RemoteRecord; report: SyncReport }> {
  const l = f.left.put('contacts', fields);
  const report = await syncPair(f.deps);
  const link = await f.deps.store.findLinkBySide(f.pair, 'left', l.id);
  const r = link?.rightId !== undefined ? f.right.record('members', link.rightId) : undefined;
  if (!r) throw new Error(`fixture: the first sync did not link left ${l.id} to a right record`);
  return { l, r, report };
}

/** A linked record edited on both sides and synced, so a `manual` field whose edits disagree holds one open conflict. */
export async function conflictedLink(
  f: Fixture, fields: Fields, edits: { left: Fields; right: Fields },
): Promise<{ l: RemoteRecord; r: RemoteRecord; conflict: ConflictRecord }> {
  const { l, r } = await linkedRecord(f, fields);
  f.left.edit('contacts', l.id, edits.left);
  f.right.edit('members', r.id, edits.right);
  await syncPair(f.deps);
  const open = await f.deps.store.listConflicts({ pair: f.pair, state: 'open' });
  if (open.length !== 1) throw new Error(`fixture: expected one open conflict after editing both sides, found ${open.length}`);
  return { l, r, conflict: open[0]! };
}
