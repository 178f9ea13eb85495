/**
 * The HubSpot <-> Mailchimp pair as a user runs it: both emulators on loopback, the shipped mapping file
 * (`mappings/hubspot-mailchimp.contacts.yaml`) loaded as `concord` loads it, the real connectors with their HTTP
 * clients wrapped as the CLI and daemon wrap them (retries honouring Retry-After, a circuit per system, each
 * account's rate limiter), and a real store. A pass is the engine's sync to quiescence (`concord sync --once`).
 */
import { readFileSync } from 'node:fs';
import { parseMappingFile } from '../../src/config/mapping-file.js';
import type { Connector } from '../../src/connectors/contract.js';
import type { HttpRequest } from '../../src/connectors/http/http-types.js';
import { createHubspotConnector } from '../../src/connectors/hubspot/hubspot-connector.js';
import { createMailchimpConnector } from '../../src/connectors/mailchimp/mailchimp-connector.js';
import type { EngineDeps } from '../../src/engine/engine-deps.js';
import { createEngineSession, type ConnectorSource } from '../../src/engine/session/engine-session.js';
import { createEngineStore } from '../../src/engine/state/kysely-engine-store.js';
import { syncPair, type SyncReport } from '../../src/engine/sync/sync-pair.js';
import { startHubSpotEmulator, type RunningHubSpotEmulator } from '../../src/emulators/hubspot/hubspot-emulator.js';
import { startMailchimpEmulator, type RunningMailchimpEmulator } from '../../src/emulators/mailchimp/mailchimp-emulator.js';
import { limitersForAccount } from '../../src/runtime/rate-limit/budget-from-facts.js';
import { createLimiterRegistry, type LimiterRegistry } from '../../src/runtime/rate-limit/limiter-registry.js';
import { createCircuitRegistry } from '../../src/runtime/resilience/circuit-registry.js';
import { createResilientHttpClient } from '../../src/runtime/resilience/resilient-http-client.js';
import { systemClock } from '../../src/shared/clock.js';
import { asSystemId } from '../../src/shared/ids.js';
import { silentLogger } from '../../src/shared/logger.js';
import type { StoreDatabase } from '../../src/store/database.js';
import { emulatorAdmin, type EmulatorAdmin } from '../contract/emulator-admin.js';

export const LIST_ID = 'e2elist001';
const MAPPING_FILE = new URL('../../mappings/hubspot-mailchimp.contacts.yaml', import.meta.url);

export interface World {
  hubspot: RunningHubSpotEmulator;
  mailchimp: RunningMailchimpEmulator;
  hs: EmulatorAdmin;
  mc: EmulatorAdmin;
  deps: EngineDeps;
  sync(): Promise<SyncReport>;
  /** Moves one emulator's clock so its next edit is later than anything either system has recorded. */
  tick(side: 'hubspot' | 'mailchimp'): Promise<void>;
  contact(email: string): Promise<{ id: string; properties: Record<string, string | null>; archived: boolean } | undefined>;
  member(email: string): Promise<{ id: string; status: string; merge_fields: Record<string, unknown>; tags: Array<{ name: string }> } | undefined>;
  setMemberTags(email: string, tags: Array<{ name: string; status: 'active' | 'inactive' }>): Promise<void>;
  close(): Promise<void>;
}

/** Searches and batch reads are POSTs that change nothing, so they may be repeated after a 5xx (as the daemon does). */
const isIdempotent = (req: HttpRequest) =>
  req.method === 'GET' || req.method === 'PUT' || req.method === 'DELETE' || /\/(search|batch\/read)$/.test(req.url.split('?')[0] ?? '');

export async function startWorld(store: StoreDatabase): Promise<World> {
  const hubspot = await startHubSpotEmulator({ seed: 'e2e', customProperties: { contacts: ['tags'] } });
  const mailchimp = await startMailchimpEmulator({
    seed: 'e2e', lists: [{ id: LIST_ID, name: 'E2E audience', mergeFields: [{ tag: 'COMPANY' }, { tag: 'LIFECYCLE' }] }],
  });
  const loaded = parseMappingFile(MAPPING_FILE.pathname, readFileSync(MAPPING_FILE, 'utf8'), { MAILCHIMP_LIST_ID: LIST_ID });
  if (!loaded.compiled) throw new Error(`the shipped mapping does not load: ${JSON.stringify(loaded.problems)}`);
  const mapping = loaded.compiled;

  const limiters: LimiterRegistry = createLimiterRegistry({ clock: systemClock });
  const circuits = createCircuitRegistry({ log: silentLogger, threshold: 50 });
  const connectors: Record<string, Connector> = {
    hubspot: createHubspotConnector({ system: asSystemId('hubspot'), baseUrl: hubspot.url, credentials: { access_token: hubspot.credentials.privateAppToken }, emulator: true }),
    mailchimp: createMailchimpConnector({ system: asSystemId('mailchimp'), baseUrl: `${mailchimp.url}/3.0`, credentials: { api_key: mailchimp.credentials.apiKey }, emulator: true }),
  };
  const source: ConnectorSource = (system) => {
    const connector = connectors[system]!;
    const account = limitersForAccount(limiters, system, connector.limits ?? {});
    const http = createResilientHttpClient(connector.createHttpClient!({ clock: systemClock }), {
      system, limiter: account.account, groupLimiters: account.groups, circuit: circuits.forSystem(system), clock: systemClock, log: silentLogger,
      retry: { attempts: 8, baseMs: 50, maxMs: 2_000, default429HoldMs: connector.limits?.retryAfterDefaultMs ?? 1_000 }, isIdempotent,
    });
    return { connector, http };
  };
  const session = createEngineSession({
    store: createEngineStore(store.db, systemClock), mappings: [mapping], connectors: source, clock: systemClock, log: silentLogger,
  });
  const deps = session.depsFor(mapping.pair);
  const hs = emulatorAdmin(hubspot.url);
  const mc = emulatorAdmin(mailchimp.url);
  const offsets = { hubspot: 0, mailchimp: 0 };
  const auth = `Basic ${Buffer.from(`e2e:${mailchimp.credentials.apiKey}`).toString('base64')}`;

  const member: World['member'] = async (email) => {
    const all = await mc.records('members') as Array<{ id: string; email_address: string; status: string; merge_fields: Record<string, unknown>; tags: Array<{ name: string }> }>;
    return all.find((m) => m.email_address === email);
  };
  return {
    hubspot, mailchimp, hs, mc, deps, member,
    sync: () => syncPair(deps, {}),
    async tick(side) {
      const target = Math.max(offsets.hubspot, offsets.mailchimp) + 3_000;
      await (side === 'hubspot' ? hs : mc).advanceClock(target - offsets[side]);
      offsets[side] = target;
    },
    async contact(email) {
      const all = await hs.records('contacts') as Array<{ id: string; properties: Record<string, string | null>; archived: boolean }>;
      return all.find((c) => c.properties.email === email);
    },
    async setMemberTags(email, tags) {
      const m = (await member(email))!;
      const res = await fetch(`${mailchimp.url}/3.0/lists/${LIST_ID}/members/${m.id}/tags`, {
        method: 'POST', headers: { authorization: auth, 'content-type': 'application/json' }, body: JSON.stringify({ tags }),
      });
      if (res.status !== 204) throw new Error(`tags answered ${res.status}: ${await res.text()}`);
    },
    async close() {
      await limiters.close();
      await hubspot.close();
      await mailchimp.close();
    },
  };
}
