/**
 * What a command needs to run engine functions for any pair of the workspace: the store, the compiled mappings
 * and a connection per system. Connections come from a `ConnectorSource` the caller supplies (the CLI builds
 * them from the connector registry and the daemon config; tests hand in in-memory connectors), so the engine
 * never builds a connector or an HTTP client itself.
 */
import type { Connector, ConnectorContext } from '../../connectors/contract.js';
import type { HttpClient } from '../../connectors/http/http-types.js';
import type { CompiledMapping, Side } from '../../mapping/compiled-types.js';
import type { Clock } from '../../shared/clock.js';
import { ConcordError } from '../../shared/errors/index.js';
import type { Logger } from '../../shared/logger.js';
import type { EngineDeps } from '../engine-deps.js';
import type { EngineStore } from '../state/engine-store.js';

export interface SystemConnection {
  connector: Connector;
  http: HttpClient;
}

/** Gives the connection of a system named in the config. Called once per system per session. */
export type ConnectorSource = (system: string) => SystemConnection;

export interface EngineSession {
  readonly store: EngineStore;
  readonly mappings: ReadonlyMap<string, CompiledMapping>;
  readonly clock: Clock;
  readonly log: Logger;
  /** Engine deps for one pair; an unknown pair is a coded error listing the known ones. */
  depsFor(pair: string): EngineDeps;
}

export interface EngineSessionOptions {
  store: EngineStore;
  mappings: readonly CompiledMapping[];
  connectors: ConnectorSource;
  clock: Clock;
  log: Logger;
  signal?: AbortSignal;
}

export function createEngineSession(options: EngineSessionOptions): EngineSession {
  const mappings = new Map(options.mappings.map((m) => [m.pair, m]));
  const connections = new Map<string, SystemConnection>();
  const signal = options.signal ?? new AbortController().signal;
  const connectionOf = (system: string): SystemConnection => {
    let c = connections.get(system);
    if (!c) {
      c = options.connectors(system);
      connections.set(system, c);
    }
    return c;
  };
  return {
    store: options.store,
    mappings,
    clock: options.clock,
    log: options.log,
    depsFor(pair) {
      const mapping = mappings.get(pair);
      if (!mapping) {
        throw new ConcordError('CONCORD_ERR_ENGINE_UNKNOWN_PAIR',
          `--pair ${pair}: no mapping file declares this pair; known pairs: ${[...mappings.keys()].sort().join(', ') || 'none'}`);
      }
      const conn = { left: connectionOf(mapping.left.system), right: connectionOf(mapping.right.system) };
      const log = options.log.child({ pair });
      return {
        mapping,
        connectors: { left: conn.left.connector, right: conn.right.connector },
        store: options.store,
        clock: options.clock,
        log,
        mappings,
        contextFor: (side: Side): ConnectorContext => ({
          log: log.child({ system: mapping[side].system }), signal, http: conn[side].http, clock: options.clock, params: mapping[side].params,
        }),
      };
    },
  };
}
