import type { Connector, ConnectorContext } from '../../../src/connectors/contract.js';
import { systemClock } from '../../../src/shared/clock.js';
import { silentLogger } from '../../../src/shared/logger.js';

/** The context the runtime would hand the connector, with the connector's own client and no retries around it. */
export function contextFor(connector: Connector, params?: Record<string, string>): ConnectorContext {
  return {
    log: silentLogger, signal: new AbortController().signal, clock: systemClock,
    http: connector.createHttpClient!({ clock: systemClock }), ...(params ? { params } : {}),
  };
}
