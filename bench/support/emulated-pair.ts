/**
 * The first pair as the benchmarks run it: the HubSpot and Mailchimp emulators in this process, their
 * connectors (the HTTP clients `concord sync` uses), the shipped mapping `hubspot-mailchimp.contacts.yaml`
 * and an engine session on a given store.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseMappingFile } from '../../src/config/mapping-file.js';
import type { Connector } from '../../src/connectors/contract.js';
import type { HttpClient } from '../../src/connectors/http/http-types.js';
import { createConnector } from '../../src/connectors/registry.js';
import { startHubSpotEmulator, type HubSpotEmulatorOptions, type RunningHubSpotEmulator } from '../../src/emulators/hubspot/hubspot-emulator.js';
import { startMailchimpEmulator, type RunningMailchimpEmulator } from '../../src/emulators/mailchimp/mailchimp-emulator.js';
import { createEngineSession, type EngineSession, type SystemConnection } from '../../src/engine/session/engine-session.js';
import { createEngineStore } from '../../src/engine/state/kysely-engine-store.js';
import type { CompiledMapping } from '../../src/mapping/compiled-types.js';
import { systemClock } from '../../src/shared/clock.js';
import { asSystemId } from '../../src/shared/ids.js';
import { silentLogger } from '../../src/shared/logger.js';
import type { Db } from '../../src/store/database.js';

export const LIST_ID = 'benchlist01';
const mappingFile = fileURLToPath(new URL('../../mappings/hubspot-mailchimp.contacts.yaml', import.meta.url));

/** Limits high enough that no benchmark but the rate-limit one ever meets them. */
export const UNLIMITED_HUBSPOT = { burstPer10Seconds: 1e9, daily: 1e9, searchPerSecond: 1e9 };

export function loadPairMapping(): CompiledMapping {
  const loaded = parseMappingFile(mappingFile, readFileSync(mappingFile, 'utf8'), { MAILCHIMP_LIST_ID: LIST_ID });
  if (!loaded.compiled) throw new Error(`${mappingFile} does not compile: ${JSON.stringify(loaded.problems)}`);
  return loaded.compiled;
}

export interface EmulatedPair {
  hubspot: RunningHubSpotEmulator;
  mailchimp: RunningMailchimpEmulator;
  mapping: CompiledMapping;
  connections: { hubspot: SystemConnection; mailchimp: SystemConnection };
  /** Seeds records through the admin API (no webhooks), in chunks. */
  seed(system: 'hubspot' | 'mailchimp', records: readonly Record<string, unknown>[]): Promise<string[]>;
  /** API requests per route since the last `resetCounts`, admin calls excluded. */
  counts(system: 'hubspot' | 'mailchimp'): Record<string, number>;
  resetCounts(): void;
  session(db: Db): EngineSession;
  close(): Promise<void>;
}

export interface EmulatedPairOptions {
  hubspotLimits?: HubSpotEmulatorOptions['limits'];
  hubspotWebhookUrl?: string;
  mailchimpWebhookUrl?: string;
  /** Mailchimp's simultaneous connections. Default is the published 10. */
  mailchimpConnections?: number;
}

export function contactProps(i: number): Record<string, string> {
  return {
    email: `contact${i}@bench.example.com`, firstname: `First${i}`, lastname: `Last${i}`, company: `Company ${i % 997}`,
    phone: `+1555${String(i).padStart(7, '0')}`, lifecyclestage: 'lead', hs_email_optout: 'false',
  };
}

export function memberBody(i: number): Record<string, unknown> {
  return {
    email_address: `contact${i}@bench.example.com`, status: 'subscribed',
    merge_fields: { FNAME: `First${i}`, LNAME: `Last${i}`, COMPANY: `Company ${i % 997}`, PHONE: `+1555${String(i).padStart(7, '0')}`, LIFECYCLE: 'lead' },
  };
}

export async function startEmulatedPair(options: EmulatedPairOptions = {}): Promise<EmulatedPair> {
  const hubspot = await startHubSpotEmulator({
    seed: 'bench', limits: options.hubspotLimits ?? UNLIMITED_HUBSPOT,
    ...(options.hubspotWebhookUrl ? { webhookUrl: options.hubspotWebhookUrl } : {}),
    webhooks: { retryBaseDelayMs: 200 },
  });
  const mailchimp = await startMailchimpEmulator({
    seed: 'bench', lists: [{ id: LIST_ID, name: 'Bench', mergeFields: [{ tag: 'COMPANY' }, { tag: 'LIFECYCLE' }] }],
    maxConnections: options.mailchimpConnections ?? 10,
    ...(options.mailchimpWebhookUrl ? { webhookUrl: options.mailchimpWebhookUrl } : {}),
  });
  const connect = (kind: 'hubspot' | 'mailchimp', baseUrl: string, credentials: Record<string, string>): SystemConnection => {
    const connector: Connector = createConnector(kind, { system: asSystemId(kind), baseUrl, credentials, emulator: true });
    const http: HttpClient = connector.createHttpClient!({ clock: systemClock });
    return { connector, http };
  };
  const connections = {
    hubspot: connect('hubspot', hubspot.url, { access_token: hubspot.credentials.privateAppToken }),
    mailchimp: connect('mailchimp', `${mailchimp.url}/3.0`, { api_key: mailchimp.credentials.apiKey }),
  };
  const urls = { hubspot: hubspot.url, mailchimp: mailchimp.url };
  const objects = { hubspot: 'contacts', mailchimp: 'members' };
  const mapping = loadPairMapping();
  return {
    hubspot, mailchimp, mapping, connections,
    async seed(system, records) {
      const ids: string[] = [];
      for (let i = 0; i < records.length; i += 2000) {
        const res = await fetch(`${urls[system]}/__emulator/records/${objects[system]}${system === 'mailchimp' ? `?list_id=${LIST_ID}` : ''}`, {
          method: 'POST', headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ records: records.slice(i, i + 2000), notify: false }),
        });
        const body = await res.json() as { result?: string[]; error?: string };
        if (!res.ok || !body.result) throw new Error(`seeding ${system}: ${res.status} ${body.error ?? ''}`);
        ids.push(...body.result.map(String));
      }
      return ids;
    },
    counts: (system) => (system === 'hubspot' ? hubspot : mailchimp).server.counter.counts(),
    resetCounts() {
      hubspot.server.counter.reset();
      mailchimp.server.counter.reset();
    },
    session: (db) => createEngineSession({
      store: createEngineStore(db, systemClock), mappings: [mapping], clock: systemClock, log: silentLogger,
      connectors: (system) => {
        if (system === 'hubspot' || system === 'mailchimp') return connections[system];
        throw new Error(`no system ${system} in the benchmark pair`);
      },
    }),
    async close() {
      await hubspot.close();
      await mailchimp.close();
    },
  };
}
