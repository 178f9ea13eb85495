import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readFileSync } from 'node:fs';
import { parseConnectorFacts } from '../../../src/connectors/connector-facts.js';
import { connectorFactories, createConnector } from '../../../src/connectors/registry.js';
import { asSystemId } from '../../../src/shared/ids.js';

const yamlOf = (id: string) => parse(readFileSync(new URL(`../../../src/connectors/${id}/${id}.connector.yaml`, import.meta.url), 'utf8')) as Record<string, unknown>;

describe('connector facts files', () => {
  it.each(['hubspot', 'mailchimp'])('%s.connector.yaml is valid and names its own id', (id) => {
    expect(parseConnectorFacts(yamlOf(id), `${id}.connector.yaml`).id).toBe(id);
  });

  // The daemon config spells credentials in snake_case (config/concord.yaml) and hands them to the connector as written.
  it.each(['hubspot', 'mailchimp'])('%s.connector.yaml names its credentials as the daemon config spells them (snake_case)', (id) => {
    const names = parseConnectorFacts(yamlOf(id), `${id}.connector.yaml`).auth.flatMap((a) =>
      a.kind === 'oauth2' ? [a.clientIdCredential, a.clientSecretCredential] : a.kind === 'basic' ? [a.passwordCredential] : [a.credential]);
    expect(names.length).toBeGreaterThan(0);
    for (const name of names) expect(name).toMatch(/^[a-z][a-z0-9]*(_[a-z0-9]+)*$/);
  });

  it('rejects unknown keys, ids with separators and bad values, naming the path', () => {
    const good = yamlOf('hubspot');
    expect(() => parseConnectorFacts({ ...good, ratelimit: {} }, 'x.yaml')).toThrowError(expect.objectContaining({ code: 'CONCORD_ERR_CONNECTOR_FACTS_INVALID' }));
    expect(() => parseConnectorFacts({ ...good, id: 'google-calendar' }, 'x.yaml')).toThrowError(/x\.yaml: at "id"/);
    expect(() => parseConnectorFacts({ ...good, batch: { read: 0, write: 100 } }, 'x.yaml')).toThrowError(/at "batch\.read"/);
  });

  it('the facts are frozen once loaded', () => {
    const facts = parseConnectorFacts(yamlOf('mailchimp'), 'm.yaml');
    expect(Object.isFrozen(facts.limits)).toBe(true);
  });
});

describe('connector registry', () => {
  const settings = { system: asSystemId('crm'), baseUrl: 'https://api.example.com', credentials: { access_token: 't', api_key: 'k-us1' }, emulator: false };

  it('builds each registered kind with the facts it declares', () => {
    expect(Object.keys(connectorFactories).sort()).toEqual(['hubspot', 'mailchimp']);
    const hub = createConnector('hubspot', settings);
    expect(hub.system).toBe('crm');
    expect(hub.capabilities).toMatchObject({ maxWriteBatch: 100, maxReadBatch: 50, cursorKind: 'timestamp', delete: 'archive' });
    expect(Object.keys(hub.objects)).toEqual(['contacts', 'companies']);
    const mc = createConnector('mailchimp', settings);
    expect(mc.capabilities).toMatchObject({ maxWriteBatch: 500, changesIncludeDeletes: true });
    expect(mc.objects.members).toMatchObject({ idField: 'id', params: ['list_id'] });
  });

  it('names the known kinds when asked for another', () => {
    expect(() => createConnector('salesforce', settings)).toThrowError(/expected a connector kind among hubspot, mailchimp, found "salesforce"/);
  });
});
