import { silentLogger, type Logger } from '../../shared/logger.js';
import { createEmulatorClock } from '../emulator-clock.js';
import type { EmulatorResponse } from '../emulator-routes.js';
import { startProviderEmulator, type EmulatorServer, type ProviderAdapter } from '../emulator-server.js';
import { createFaultInjector, type FaultInjector } from '../fault-injector.js';
import { createSeededRandom } from '../seeded-random.js';
import { createWebhookQueue, type WebhookQueue } from '../webhook-queue.js';
import { createMailchimpAdmin } from './mailchimp-admin.js';
import { checkMailchimpAuth, type MailchimpCredentials } from './mailchimp-auth.js';
import { listRoutes } from './mailchimp-list-routes.js';
import { memberRoutes } from './mailchimp-member-routes.js';
import type { MailchimpContext } from './mailchimp-members.js';
import { problem } from './mailchimp-problem.js';
import { MailchimpStore, type AudienceList, type WebhookRegistration } from './mailchimp-store.js';
import { createMailchimpWebhookSender, mailchimpRetryPolicy, type MailchimpWebhookSettings } from './mailchimp-webhooks.js';

/** At most 10 simultaneous connections per key; more get 429 (https://mailchimp.com/developer/marketing/guides/run-async-requests-batch-endpoint/). */
export const MAX_CONNECTIONS = 10;

export interface MailchimpEmulatorOptions {
  port?: number;
  host?: string;
  /** Seeds list ids, keys and every random roll. Default is "mailchimp". */
  seed?: string | number;
  /** Data centre of this emulator. Default is us14. */
  dc?: string;
  apiKey?: string;
  oauthTokens?: string[];
  /** Audiences; default is one. Extra merge fields come after Mailchimp's defaults (FNAME, LNAME, ADDRESS, PHONE, BIRTHDAY). */
  lists?: Array<{ id: string; name: string; mergeFields?: Array<{ tag: string; name?: string; type?: string }> }>;
  /** Registered on the first list at start (no GET check), with user and admin sources and every event. */
  webhookUrl?: string;
  webhooks?: Partial<MailchimpWebhookSettings>;
  maxConnections?: number;
  log?: Logger;
}

export interface RunningMailchimpEmulator {
  provider: 'mailchimp';
  url: string;
  credentials: { apiKey: string; dc: string; listId: string };
  faults: FaultInjector;
  webhooks: WebhookQueue;
  server: EmulatorServer;
  close(): Promise<void>;
}

export async function startMailchimpEmulator(options: MailchimpEmulatorOptions = {}): Promise<RunningMailchimpEmulator> {
  const log = options.log ?? silentLogger;
  const random = createSeededRandom(`mailchimp:${options.seed ?? 'mailchimp'}`);
  const clock = createEmulatorClock();
  const dc = (options.dc ?? 'us14').toLowerCase();
  const creds: MailchimpCredentials = {
    apiKeys: [options.apiKey ?? `${random.hex(32)}-${dc}`],
    oauthTokens: options.oauthTokens ?? [],
    dc,
  };
  const lists = options.lists ?? [{ id: random.hex(10), name: 'Concord Emulator Audience' }];
  const settings: MailchimpWebhookSettings = { retryBaseDelayMs: 1000, timeoutMs: 10_000, maxAttempts: 8, ...options.webhooks };
  const faults = createFaultInjector(random);
  const queue = createWebhookQueue({ random, retry: mailchimpRetryPolicy(() => settings), log });
  const sender = createMailchimpWebhookSender({ clock, queue });
  const store = new MailchimpStore(random, lists);
  const ctx: MailchimpContext = { store, random, clock, publish: (list, event) => sender.publish(list, event) };

  const register = (list: AudienceList, url: string, events?: Record<string, boolean>, sources?: Record<string, boolean>): void => {
    const reg: WebhookRegistration = {
      id: random.hex(10), url, list_id: list.id,
      events: { subscribe: true, unsubscribe: true, profile: true, cleaned: true, upemail: true, campaign: true, ...events },
      sources: { user: true, admin: true, api: false, ...sources },
    };
    list.webhooks = list.webhooks.filter((w) => w.url !== url);
    list.webhooks.push(reg);
  };
  const registerStartupWebhook = (): void => {
    const first = store.lists.values().next().value;
    if (options.webhookUrl && first) register(first, options.webhookUrl);
  };
  registerStartupWebhook();

  const maxConnections = options.maxConnections ?? MAX_CONNECTIONS;
  const adapter: ProviderAdapter = {
    routes: [...listRoutes(ctx, { webhookCheckTimeoutMs: settings.timeoutMs }), ...memberRoutes(ctx)],
    gate(req) {
      if (req.inFlight > maxConnections) {
        return problem(random, 429, 'Too Many Requests', `You have exceeded the limit of ${maxConnections} simultaneous connections.`);
      }
      return checkMailchimpAuth(req, creds, random);
    },
    errorResponse(kind, req, info): EmulatorResponse {
      switch (kind) {
        case 'rate-limited':
          return problem(random, 429, 'Too Many Requests', `You have exceeded the limit of ${maxConnections} simultaneous connections.`, undefined,
            info.retryAfterSeconds !== undefined ? { 'Retry-After': String(info.retryAfterSeconds) } : {});
        case 'server-error':
          return problem(random, info.status ?? 500, 'Internal Server Error', 'An unexpected internal error has occurred. Please contact Support for more information.');
        case 'method-not-allowed':
          return problem(random, 405, 'Method Not Allowed', `The requested method and resource are not compatible (${req.method} ${req.path}).`);
        case 'bad-request':
          return problem(random, 400, 'Invalid Resource', info.message ?? 'The resource submitted could not be validated.');
        case 'not-found':
          return problem(random, 404, 'Resource Not Found', 'The requested resource could not be found.');
      }
    },
  };

  const firstListId = lists[0]?.id ?? '';
  const publicCredentials = { apiKey: creds.apiKeys[0] ?? '', dc, listId: firstListId };
  return startProviderEmulator({
    provider: 'mailchimp',
    credentials: publicCredentials,
    port: options.port,
    host: options.host,
    adapter,
    data: (url) => createMailchimpAdmin({
      ctx,
      settings,
      register,
      publishCampaign: (list, campaign) => sender.publishCampaign(list, campaign),
      info: () => {
        const at = url();
        return {
          provider: 'mailchimp', url: at, baseUrl: at !== undefined ? `${at}/3.0` : undefined, credentials: publicCredentials,
          lists: [...store.lists.values()].map((l) => ({ id: l.id, name: l.name, webhooks: l.webhooks })), objects: ['members'],
          webhookSettings: { ...settings }, seed: random.seed,
        };
      },
      reset: () => { store.reset(); registerStartupWebhook(); },
    }),
    faults,
    webhooks: queue,
    clock,
    log,
  });
}
