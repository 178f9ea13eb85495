import type { Connector, ConnectorContext } from '../../src/connectors/contract.js';
import type { Clock } from '../../src/shared/clock.js';
import { silentLogger } from '../../src/shared/logger.js';

/** The context the runtime would hand `connector`: its own HTTP client on `clock`, no retries around it, silent logs. */
export function connectorContext(connector: Connector, clock: Clock, params?: Record<string, string>): ConnectorContext {
  return {
    log: silentLogger, signal: new AbortController().signal, clock,
    http: connector.createHttpClient!({ clock }), ...(params ? { params } : {}),
  };
}
