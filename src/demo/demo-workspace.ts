/**
 * The daemon config and mapping the demo (and the daemon's end-to-end tests) run with: both systems
 * marked `emulator: true` at the emulators' loopback URLs, the state database where asked, and the
 * shipped HubSpot <-> Mailchimp contacts mapping, copied as it is (only its poll schedule may be
 * changed, so a test need not wait five minutes for a poll).
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { demoCredentials } from './demo-emulators.js';

export const demoMappingFile = 'hubspot-mailchimp.contacts.yaml';

/** The shipped mapping, found from the source tree or from the built one. */
export async function readShippedMapping(): Promise<string> {
  const candidates = ['../../mappings', '../../../mappings'].map((rel) => fileURLToPath(new URL(`${rel}/${demoMappingFile}`, import.meta.url)));
  const found = candidates.find((p) => existsSync(p)) ?? join(process.cwd(), 'mappings', demoMappingFile);
  return readFile(found, 'utf8');
}

export interface DemoWorkspaceOptions {
  dir: string;
  hubspotBaseUrl: string;
  mailchimpBaseUrl: string;
  /** A SQLite file or a postgres:// URL. Default is `<dir>/concord.db`. */
  databaseUrl?: string;
  port?: number;
  logLevel?: string;
  /** Replaces the mapping's `poll` schedule (e.g. every 2 seconds: `*\/2 * * * * *`). */
  pollSchedule?: string;
  /** Text of the mapping file instead of the shipped one. */
  mappingText?: string;
  /** The HubSpot account's rate limit, for an emulated portal on a paid tier. Default is the connector's published one. */
  hubspotPerSecond?: number;
}

export interface DemoWorkspace {
  configPath: string;
  mappingsDir: string;
  mappingPath: string;
  databaseUrl: string;
}

export async function writeDemoWorkspace(o: DemoWorkspaceOptions): Promise<DemoWorkspace> {
  const mappingsDir = join(o.dir, 'mappings');
  await mkdir(mappingsDir, { recursive: true });
  const databaseUrl = o.databaseUrl ?? join(o.dir, 'concord.db');
  let mapping = o.mappingText ?? await readShippedMapping();
  mapping = mapping.replace('${MAILCHIMP_LIST_ID:-demolist01}', demoCredentials.mailchimpListId);
  if (o.pollSchedule) mapping = mapping.replace(/^poll: .*$/m, `poll: "${o.pollSchedule}"`);
  const mappingPath = join(mappingsDir, demoMappingFile);
  await writeFile(mappingPath, mapping, 'utf8');
  const config = [
    '# Written by concord demo: both systems are local emulators.',
    `database: { url: ${JSON.stringify(databaseUrl)} }`,
    `http: { host: 127.0.0.1, port: ${o.port ?? 0} }`,
    `mappings: ${JSON.stringify(mappingsDir)}`,
    `logging: { level: ${o.logLevel ?? 'info'} }`,
    'systems:',
    '  hubspot:',
    `    base_url: ${JSON.stringify(o.hubspotBaseUrl)}`,
    '    emulator: true',
    `    credentials: { access_token: ${JSON.stringify(demoCredentials.hubspotToken)} }`,
    `    webhook_secret: ${JSON.stringify(demoCredentials.hubspotClientSecret)}`,
    ...(o.hubspotPerSecond ? [`    rate_limit: { per_second: ${o.hubspotPerSecond} }`] : []),
    '  mailchimp:',
    `    base_url: ${JSON.stringify(o.mailchimpBaseUrl)}`,
    '    emulator: true',
    `    credentials: { api_key: ${JSON.stringify(demoCredentials.mailchimpApiKey)} }`,
    `    webhook_secret: ${JSON.stringify(demoCredentials.mailchimpWebhookSecret)}`,
    '',
  ].join('\n');
  const configPath = join(o.dir, 'concord.yaml');
  await writeFile(configPath, config, 'utf8');
  return { configPath, mappingsDir, mappingPath, databaseUrl };
}
