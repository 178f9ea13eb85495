import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { asRemoteId } from '../../../../src/shared/ids.js';
import type { Connector, ConnectorContext, WriteResult } from '../../../../src/connectors/contract.js';
import { startHubspotConnectorUnderTest, type HubspotTestServer } from './hubspot-test-server.js';

let server: HubspotTestServer;
let connector: Connector;
let ctx: ConnectorContext;

beforeEach(async () => { ({ server, connector, ctx } = await startHubspotConnectorUnderTest()); });
afterEach(async () => { await server.close(); });

const T0 = Date.parse('2026-01-01T00:00:00Z');
const contact = (email: string, extra: Record<string, string> = {}) => server.add('contacts', { properties: { email, ...extra }, modifiedMs: T0 });
const unsubscribeCalls = () => server.seen.filter((r) => r.path.startsWith('/communication-preferences/'));
const objectWrites = () => server.seen.filter((r) => /\/batch\/(create|update)$/.test(r.path));
const outcome = (r: WriteResult) => [r.ref, r.ok ? 'ok' : r.error.kind];

describe('HubSpot opt-out writes', () => {
  it('opts a contact out through unsubscribe-all by its email, and writes its other properties in the batch update', async () => {
    const c = contact('ann@example.com', { firstname: 'Ann', hs_email_optout: 'false' });
    const [r] = await connector.write('contacts', [
      { kind: 'update', ref: 'u', id: asRemoteId(c.id), fields: { firstname: 'Anne', hs_email_optout: true }, idempotencyKey: 'k' },
    ], ctx);
    expect(r).toMatchObject({ ok: true, record: { id: c.id, fields: { firstname: 'Anne', hs_email_optout: 'true' } } });
    expect(server.objects.get('contacts')!.get(c.id)!.properties).toMatchObject({ firstname: 'Anne', hs_email_optout: 'true' });
    expect(unsubscribeCalls().map((s) => [s.method, s.path, s.url.searchParams.get('channel')]))
      .toEqual([['POST', '/communication-preferences/v4/statuses/ann%40example.com/unsubscribe-all', 'EMAIL']]);
    expect(objectWrites().every((s) => (s.json as any).inputs.every((i: any) => !('hs_email_optout' in i.properties)))).toBe(true);
  });

  it('refuses to undo an opt-out, saying what the operator can do, while the other properties still land', async () => {
    const c = contact('bob@example.com', { lastname: 'Old', hs_email_optout: 'true' });
    const [r] = await connector.write('contacts', [
      { kind: 'update', ref: 'u', id: asRemoteId(c.id), fields: { lastname: 'New', hs_email_optout: false }, idempotencyKey: 'k' },
    ], ctx);
    expect(r).toMatchObject({ ref: 'u', ok: false, error: { kind: 'validation' } });
    const message = (r as Extract<WriteResult, { ok: false }>).error.message;
    expect(message).toContain('does not let an integration undo an opt-out');
    expect(message).toMatch(/resubscribe|one way/);
    expect(server.objects.get('contacts')!.get(c.id)!.properties).toMatchObject({ lastname: 'New', hs_email_optout: 'true' });
    expect(unsubscribeCalls()).toEqual([]);
  });

  it('treats false on a contact that is not opted out, and true on one that is, as nothing to do', async () => {
    const sub = contact('sub@example.com', { hs_email_optout: 'false' });
    const out = contact('out@example.com', { hs_email_optout: 'true' });
    const results = await connector.write('contacts', [
      { kind: 'update', ref: 'a', id: asRemoteId(sub.id), fields: { hs_email_optout: false }, idempotencyKey: 'a' },
      { kind: 'update', ref: 'b', id: asRemoteId(out.id), fields: { hs_email_optout: 'true' }, idempotencyKey: 'b' },
    ], ctx);
    expect(results).toMatchObject([
      { ref: 'a', ok: true, record: { id: sub.id, fields: { hs_email_optout: 'false' } } },
      { ref: 'b', ok: true, record: { id: out.id, fields: { hs_email_optout: 'true' } } },
    ]);
    expect(unsubscribeCalls()).toEqual([]);
    expect(objectWrites()).toEqual([]);
  });

  it('gives one result per op, in order, over a batch mixing creates, opt-outs, a missing contact and a bad value', async () => {
    const c = contact('cat@example.com');
    const plain = contact('dan@example.com');
    const results = await connector.write('contacts', [
      { kind: 'create', ref: 'new-out', fields: { email: 'eve@example.com', firstname: 'Eve', hs_email_optout: 'true' }, idempotencyKey: '1' },
      { kind: 'update', ref: 'missing', id: asRemoteId('999999'), fields: { hs_email_optout: true }, idempotencyKey: '2' },
      { kind: 'update', ref: 'bad', id: asRemoteId(plain.id), fields: { firstname: 'Dan', hs_email_optout: 'yes' }, idempotencyKey: '3' },
      { kind: 'update', ref: 'out', id: asRemoteId(c.id), fields: { hs_email_optout: true }, idempotencyKey: '4' },
      { kind: 'create', ref: 'new-in', fields: { email: 'fay@example.com', hs_email_optout: false }, idempotencyKey: '5' },
    ], ctx);
    expect(results.map(outcome)).toEqual([['new-out', 'ok'], ['missing', 'not-found'], ['bad', 'validation'], ['out', 'ok'], ['new-in', 'ok']]);
    expect((results[2] as Extract<WriteResult, { ok: false }>).error.message).toContain('expected true or false, found "yes"');
    expect(server.objects.get('contacts')!.get(plain.id)!.properties.firstname).toBeUndefined();
    const byEmail = new Map([...server.objects.get('contacts')!.values()].map((r) => [r.properties.email, r.properties]));
    expect(byEmail.get('eve@example.com')).toMatchObject({ firstname: 'Eve', hs_email_optout: 'true' });
    expect(byEmail.get('fay@example.com')?.hs_email_optout).toBeUndefined();
    expect([...server.optedOut].sort()).toEqual(['cat@example.com', 'eve@example.com']);
  });

  it('reports a refused unsubscribe on its op, naming the scope, after the other properties were written', async () => {
    server.state.unsubscribeStatus = 403;
    const c = contact('gus@example.com');
    const [r] = await connector.write('contacts', [
      { kind: 'update', ref: 'u', id: asRemoteId(c.id), fields: { jobtitle: 'CTO', hs_email_optout: true }, idempotencyKey: 'k' },
    ], ctx);
    expect(r).toMatchObject({ ok: false, error: { status: 403 } });
    expect((r as Extract<WriteResult, { ok: false }>).error.message).toContain('communication_preferences.write');
    expect(server.objects.get('contacts')!.get(c.id)!.properties).toMatchObject({ jobtitle: 'CTO' });
    expect(server.optedOut.size).toBe(0);
  });

  it('cannot opt out a contact without an email address, and says so', async () => {
    const c = server.add('contacts', { properties: { firstname: 'NoMail' }, modifiedMs: T0 });
    const results = await connector.write('contacts', [
      { kind: 'update', ref: 'u', id: asRemoteId(c.id), fields: { hs_email_optout: true }, idempotencyKey: 'k' },
      { kind: 'create', ref: 'c', fields: { firstname: 'X', hs_email_optout: true }, idempotencyKey: 'c' },
    ], ctx);
    expect(results.map(outcome)).toEqual([['u', 'validation'], ['c', 'validation']]);
    expect(results.every((r) => !r.ok && r.error.message.includes('email address'))).toBe(true);
    expect(unsubscribeCalls()).toEqual([]);
    expect(server.objects.get('contacts')!.size).toBe(1);
  });

  it('leaves companies alone: no consent read, no unsubscribe', async () => {
    const results = await connector.write('companies', [{ kind: 'create', ref: 'a', fields: { name: 'A' }, idempotencyKey: 'a' }], ctx);
    expect(results.map(outcome)).toEqual([['a', 'ok']]);
    expect(server.seen.map((s) => s.path)).toEqual(['/crm/v3/objects/companies/batch/create']);
  });
});
