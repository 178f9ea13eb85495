/**
 * What every engine operation is handed: the pair's compiled mapping, its two connectors, the store, a clock
 * and a logger. The engine reads time only from `clock` and reaches systems only through the connectors.
 */
import type { Connector, ConnectorContext } from '../connectors/contract.js';
import type { CompiledMapping, Side } from '../mapping/compiled-types.js';
import type { Clock } from '../shared/clock.js';
import type { Logger } from '../shared/logger.js';
import type { EngineStore } from './state/engine-store.js';

export interface EngineDeps {
  mapping: CompiledMapping;
  connectors: Record<Side, Connector>;
  store: EngineStore;
  clock: Clock;
  log: Logger;
  /** Builds the context a connector call gets for a side (HTTP client, params, signal); supplied by the caller. */
  contextFor(side: Side): ConnectorContext;
  /** Every compiled mapping by pair, so `lookup` transforms can reach another pair's links. Default: this pair only. */
  mappings?: ReadonlyMap<string, CompiledMapping>;
  /** How often a stale-version answer sends an item back to the read step before it fails. Default is 3. */
  maxStaleRetries?: number;
  /** How many items' bookkeeping is committed in one transaction after their writes. Default is 100. */
  commitGroupSize?: number;
}

export const otherSide = (s: Side): Side => (s === 'left' ? 'right' : 'left');
