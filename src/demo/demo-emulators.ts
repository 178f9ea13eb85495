/**
 * The two emulators of the demo (and of the daemon's end-to-end tests), started in-process with
 * credentials chosen here, so the config written for the daemon can name them. Edits go through the
 * emulators' admin API, as a user of each product would make them (webhooks fire).
 */
import { startHubSpotEmulator, type RunningHubSpotEmulator } from '../emulators/hubspot/hubspot-emulator.js';
import { startMailchimpEmulator, type RunningMailchimpEmulator } from '../emulators/mailchimp/mailchimp-emulator.js';

export const demoCredentials = {
  hubspotToken: 'pat-na1-demo-token',
  hubspotClientSecret: 'demo-hubspot-client-secret',
  mailchimpApiKey: '0123456789abcdef0123456789abcdef-us14',
  mailchimpListId: 'demolist01',
  mailchimpWebhookSecret: 'demo-mailchimp-webhook-secret',
} as const;

export interface DemoEmulators {
  hubspot: RunningHubSpotEmulator;
  mailchimp: RunningMailchimpEmulator;
  hubspotBaseUrl: string;
  mailchimpBaseUrl: string;
  /** Points both emulators' webhooks at the daemon. */
  deliverWebhooksTo(daemonUrl: string, chaos?: { dropRate?: number; duplicateRate?: number }): Promise<void>;
  admin(system: 'hubspot' | 'mailchimp', method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }>;
  /** Waits until neither emulator has a webhook delivery waiting or in flight. */
  webhooksIdle(): Promise<void>;
  close(): Promise<void>;
}

export async function startDemoEmulators(options: { seed: string; hubspotLimits?: { burstPer10Seconds?: number; searchPerSecond?: number } }): Promise<DemoEmulators> {
  const hubspot = await startHubSpotEmulator({
    seed: options.seed,
    credentials: { privateAppTokens: [demoCredentials.hubspotToken], clientSecret: demoCredentials.hubspotClientSecret },
    customProperties: { contacts: ['tags'] },
    webhooks: { retryBaseDelayMs: 200 },
    ...(options.hubspotLimits ? { limits: options.hubspotLimits } : {}),
  });
  const mailchimp = await startMailchimpEmulator({
    seed: options.seed, apiKey: demoCredentials.mailchimpApiKey,
    lists: [{ id: demoCredentials.mailchimpListId, name: 'Concord demo audience', mergeFields: [{ tag: 'COMPANY', name: 'Company' }, { tag: 'LIFECYCLE', name: 'Lifecycle stage' }] }],
    webhooks: { retryBaseDelayMs: 200 },
  });
  const urls = { hubspot: hubspot.url, mailchimp: mailchimp.url };
  const admin: DemoEmulators['admin'] = async (system, method, path, body) => {
    const res = await fetch(`${urls[system]}/__emulator/${path}`, {
      method, headers: { 'content-type': 'application/json' }, ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) as unknown : null };
  };
  return {
    hubspot, mailchimp, admin,
    hubspotBaseUrl: hubspot.url,
    mailchimpBaseUrl: `${mailchimp.url}/3.0`,
    async deliverWebhooksTo(daemonUrl, chaos = {}) {
      const c = { dropRate: chaos.dropRate ?? 0, duplicateRate: chaos.duplicateRate ?? 0 };
      const hs = await admin('hubspot', 'PUT', 'webhooks', { url: `${daemonUrl}/webhooks/hubspot`, chaos: c });
      const mc = await admin('mailchimp', 'PUT', 'webhooks', { url: `${daemonUrl}/webhooks/mailchimp/${demoCredentials.mailchimpWebhookSecret}`, chaos: c });
      if (hs.status !== 200 || mc.status !== 200) throw new Error(`emulator webhook settings refused: ${JSON.stringify([hs.body, mc.body])}`);
    },
    async webhooksIdle() {
      await Promise.all([hubspot.webhooks.idle(), mailchimp.webhooks.idle()]);
    },
    async close() {
      await Promise.all([hubspot.close(), mailchimp.close()]);
    },
  };
}
