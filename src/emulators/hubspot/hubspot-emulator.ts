import { silentLogger, type Logger } from '../../shared/logger.js';
import { createEmulatorClock } from '../emulator-clock.js';
import { json, type EmulatorRequest, type EmulatorResponse } from '../emulator-routes.js';
import { startProviderEmulator, type EmulatorServer, type ProviderAdapter } from '../emulator-server.js';
import { createFaultInjector, type FaultInjector } from '../fault-injector.js';
import { createSeededRandom } from '../seeded-random.js';
import { createWebhookQueue, type WebhookQueue } from '../webhook-queue.js';
import { createHubSpotAdmin } from './hubspot-admin.js';
import { createHubSpotAuth, type HubSpotCredentials } from './hubspot-auth.js';
import { batchRoutes } from './hubspot-batch-routes.js';
import type { HubSpotContext } from './hubspot-context.js';
import { hubspotError } from './hubspot-errors.js';
import { createObjectTypes } from './hubspot-objects.js';
import { createConsentBook } from './hubspot-consent.js';
import { objectRoutes } from './hubspot-object-routes.js';
import { missingScopes, preferenceRoutes, preferenceScopes, type ResubscribePolicy } from './hubspot-preference-routes.js';
import { propertyRoutes } from './hubspot-property-routes.js';
import { createHubSpotRateLimiter, FREE_TIER_LIMITS, type HubSpotLimits } from './hubspot-rate-limit.js';
import { HubSpotStore } from './hubspot-store.js';
import {
  createHubSpotWebhookSender, defaultSubscriptions, hubspotRetryPolicy, type HubSpotWebhookSettings,
} from './hubspot-webhooks.js';

export interface HubSpotEmulatorOptions {
  /** Default is 0 (any free port). */
  port?: number;
  host?: string;
  /** Seeds ids, tokens and every random roll. Default is "hubspot". */
  seed?: string | number;
  /** Where webhooks go; without it none are sent until set through the admin API. */
  webhookUrl?: string;
  credentials?: Partial<HubSpotCredentials>;
  /** Default is the Free/Starter tier: 100 per 10 s, 250,000 a day, search 4 per second. */
  limits?: Partial<HubSpotLimits>;
  /** Default is 10,000. */
  searchWindow?: number;
  /** Custom properties accepted on write besides the standard ones. */
  customProperties?: Partial<Record<'contacts' | 'companies', string[]>>;
  webhooks?: Partial<Omit<HubSpotWebhookSettings, 'targetUrl'>>;
  /**
   * Scopes granted to every token. Default is every scope. Only the communication preferences API checks them
   * (403 MISSING_SCOPES naming the scopes that would do).
   */
  scopes?: string[];
  /**
   * Whether the API may re-subscribe an address opted out of all email. Default is 'refuse' (v3 documents the
   * refusal; v4's support for it is undocumented in detail); 'allow-v4' lets a v4 SUBSCRIBED status clear it.
   */
  resubscribeOptedOut?: ResubscribePolicy;
  log?: Logger;
}

export interface RunningHubSpotEmulator {
  provider: 'hubspot';
  url: string;
  credentials: { privateAppToken: string; clientId: string; clientSecret: string; refreshToken: string; portalId: number };
  /** In-process handles for tests; the admin API offers the same over HTTP. */
  faults: FaultInjector;
  webhooks: WebhookQueue;
  server: EmulatorServer;
  close(): Promise<void>;
}

export async function startHubSpotEmulator(options: HubSpotEmulatorOptions = {}): Promise<RunningHubSpotEmulator> {
  const log = options.log ?? silentLogger;
  const random = createSeededRandom(`hubspot:${options.seed ?? 'hubspot'}`);
  const clock = createEmulatorClock();
  const credentials: HubSpotCredentials = {
    privateAppTokens: [`pat-na1-${random.uuid()}`],
    clientId: random.uuid(),
    clientSecret: random.uuid(),
    refreshTokens: [`na1-${random.hex(4)}-${random.uuid()}`],
    authorizationCodes: [`code-${random.hex(16)}`],
    accessTokenTtlSeconds: 1800,
    ...options.credentials,
  };
  const settings: HubSpotWebhookSettings = {
    appId: 54321,
    portalId: 62515,
    legacySignature: 'v1',
    maxEventsPerRequest: 100,
    subscriptions: defaultSubscriptions(),
    retryBaseDelayMs: 1000,
    timeoutMs: 5000,
    ...options.webhooks,
    ...(options.webhookUrl ? { targetUrl: options.webhookUrl } : {}),
  };
  const faults = createFaultInjector(random);
  const queue = createWebhookQueue({ random, retry: hubspotRetryPolicy(() => settings), log });
  const sender = createHubSpotWebhookSender({ settings: () => settings, clientSecret: credentials.clientSecret, clock, queue });
  const types = createObjectTypes(options.customProperties);
  const ctx: HubSpotContext = {
    types,
    store: new HubSpotStore(types),
    clock,
    random,
    searchWindow: options.searchWindow ?? 10_000,
    publish: (change) => sender.publish(change),
  };
  const auth = createHubSpotAuth(credentials, clock, random);
  const limiter = createHubSpotRateLimiter({ ...FREE_TIER_LIMITS, ...options.limits }, clock, random);
  const admittedHeaders = new WeakMap<EmulatorRequest, Record<string, string>>();
  const tokenRoutes = auth.routes;
  const properties = propertyRoutes(ctx);
  const consent = createConsentBook(ctx);
  const granted = options.scopes ? new Set(options.scopes) : undefined;

  const adapter: ProviderAdapter = {
    routes: [
      ...tokenRoutes, ...properties.routes, ...objectRoutes(ctx), ...batchRoutes(ctx),
      ...preferenceRoutes(ctx, consent, options.resubscribeOptedOut ?? 'refuse'),
      // https://developers.hubspot.com/docs/api-reference/legacy/account/account-information/get-usage-details
      { method: 'GET', patterns: ['/account-info/v3/api-usage/daily/private-apps'], handler: () => json(200, {
        results: [{ name: 'private-apps-api-calls-daily', ...limiter.usage(), collectedAt: clock.now().toISOString(), fetchStatus: 'SUCCESS' }],
      }) },
    ],
    gate(req) {
      if (req.path.startsWith('/oauth/')) return undefined;
      const who = auth.check(req);
      if (!who.ok) return who.response;
      const required = granted ? preferenceScopes(req) : undefined;
      if (required && !required.some((s) => granted?.has(s))) return missingScopes(ctx, required);
      const admitted = limiter.admit(who.token, req.path.endsWith('/search'));
      if (!admitted.ok) return admitted.response;
      admittedHeaders.set(req, admitted.headers);
      return undefined;
    },
    decorate(req, res) {
      const headers = admittedHeaders.get(req);
      if (headers) res.headers = { ...headers, ...res.headers };
    },
    errorResponse(kind, req, info): EmulatorResponse {
      switch (kind) {
        case 'rate-limited':
          return json(429, {
            status: 'error', message: 'You have reached your ten_secondly_rolling limit.', errorType: 'RATE_LIMIT',
            correlationId: random.uuid(), policyName: 'TEN_SECONDLY_ROLLING',
          }, {
            'X-HubSpot-RateLimit-Interval-Milliseconds': '10000',
            'X-HubSpot-RateLimit-Remaining': '0',
            ...(info.retryAfterSeconds !== undefined ? { 'Retry-After': String(info.retryAfterSeconds) } : {}),
          });
        case 'server-error':
          return hubspotError(random, info.status ?? 500, 'INTERNAL_ERROR', 'internal error');
        case 'method-not-allowed':
          return hubspotError(random, 405, 'VALIDATION_ERROR', `Method ${req.method} is not allowed on ${req.path}`);
        case 'bad-request':
          return hubspotError(random, 400, 'VALIDATION_ERROR', info.message ?? 'bad request');
        case 'not-found':
          return hubspotError(random, 404, 'OBJECT_NOT_FOUND', `No API at ${req.method} ${req.path}`);
      }
    },
  };

  const publicCredentials = {
    privateAppToken: credentials.privateAppTokens[0] ?? '',
    clientId: credentials.clientId,
    clientSecret: credentials.clientSecret,
    refreshToken: credentials.refreshTokens[0] ?? '',
    portalId: settings.portalId,
  };
  return startProviderEmulator({
    provider: 'hubspot',
    credentials: publicCredentials,
    port: options.port,
    host: options.host,
    adapter,
    data: (url) => createHubSpotAdmin({
      ctx,
      settings,
      info: () => ({
        provider: 'hubspot', url: url(), credentials: publicCredentials, objects: types.map((t) => t.name),
        webhooks: { ...settings }, seed: random.seed,
      }),
      reset: () => { ctx.store.reset(); auth.reset(); limiter.reset(); sender.reset(); properties.reset(); consent.reset(); },
    }),
    faults,
    webhooks: queue,
    clock,
    log,
  });
}
