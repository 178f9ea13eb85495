import type { Logger } from '../shared/logger.js';
import { startHubSpotEmulator } from './hubspot/hubspot-emulator.js';
import { startMailchimpEmulator } from './mailchimp/mailchimp-emulator.js';

/** What `concord emulate` and the demo need from any emulator. */
export interface StartedEmulator {
  provider: string;
  url: string;
  /** Base URL a connector is pointed at (Mailchimp's includes `/3.0`). */
  baseUrl: string;
  credentials: Record<string, string | number>;
  close(): Promise<void>;
}

export interface CommonEmulatorOptions {
  port?: number;
  host?: string;
  seed?: string;
  webhookUrl?: string;
  log?: Logger;
}

/** One line per emulator. */
export const emulators = {
  hubspot: async (o: CommonEmulatorOptions): Promise<StartedEmulator> => {
    const e = await startHubSpotEmulator(o);
    return { provider: e.provider, url: e.url, baseUrl: e.url, credentials: e.credentials, close: e.close };
  },
  mailchimp: async (o: CommonEmulatorOptions): Promise<StartedEmulator> => {
    const e = await startMailchimpEmulator(o);
    return { provider: e.provider, url: e.url, baseUrl: `${e.url}/3.0`, credentials: e.credentials, close: e.close };
  },
} satisfies Record<string, (o: CommonEmulatorOptions) => Promise<StartedEmulator>>;

export type EmulatorId = keyof typeof emulators;
export const emulatorIds = Object.keys(emulators) as EmulatorId[];
