import { ConcordError } from '../shared/errors/index.js';
import type { ConnectorFactory, ConnectorSettings, Connector } from './contract.js';
import { createHubspotConnector } from './hubspot/hubspot-connector.js';
import { createMailchimpConnector } from './mailchimp/mailchimp-connector.js';

/** Connector kind -> factory, one line each. Core code finds connectors here and never names a provider. */
export const connectorFactories: Readonly<Record<string, ConnectorFactory>> = Object.freeze({
  hubspot: createHubspotConnector,
  mailchimp: createMailchimpConnector,
});

export function createConnector(kind: string, settings: ConnectorSettings): Connector {
  const factory = Object.hasOwn(connectorFactories, kind) ? connectorFactories[kind] : undefined;
  if (!factory) {
    throw new ConcordError('CONCORD_ERR_CONNECTOR_UNKNOWN_KIND',
      `system ${settings.system}: expected a connector kind among ${Object.keys(connectorFactories).join(', ')}, found "${kind}"`);
  }
  return factory(settings);
}
