import type { EmulatorClock } from '../emulator-clock.js';
import type { RetryPolicy, WebhookQueue } from '../webhook-queue.js';
import { signV1, signV2, signV3 } from './hubspot-signature.js';
import type { RecordChange } from './hubspot-store.js';

/**
 * Webhook delivery as HubSpot does it (PROVIDERS.md §1.7; https://developers.hubspot.com/docs/api/webhooks):
 * a POST whose body is a JSON array of up to 100 events, signed with v3 (`X-HubSpot-Signature-v3` +
 * `X-HubSpot-Request-Timestamp`, epoch ms) and, alongside, the legacy `X-HubSpot-Signature` (v1 by default,
 * v2 if configured) with `X-HubSpot-Signature-Version`. Every attempt is re-signed and its events carry
 * `attemptNumber`. Retries: up to 10, on network failure, timeout and any status but 400/401/403/404/405;
 * 429 honours Retry-After. HubSpot spreads retries over hours; the emulator keeps the exponential shape
 * but starts at `retryBaseDelayMs` so a test or the demo sees them.
 */
export interface HubSpotSubscription {
  /** e.g. `contact.creation`, `contact.propertyChange`, `company.deletion`. */
  eventType: string;
  /** For propertyChange: the one property; absent means every property (an emulator convenience). */
  propertyName?: string;
}

export interface HubSpotWebhookSettings {
  targetUrl?: string;
  appId: number;
  portalId: number;
  legacySignature: 'v1' | 'v2' | 'none';
  maxEventsPerRequest: number;
  subscriptions: HubSpotSubscription[];
  retryBaseDelayMs: number;
  timeoutMs: number;
}

export function defaultSubscriptions(): HubSpotSubscription[] {
  return ['contact', 'company'].flatMap((o) => ['creation', 'propertyChange', 'deletion'].map((k) => ({ eventType: `${o}.${k}` })));
}

const NO_RETRY = new Set([400, 401, 403, 404, 405]);

export function hubspotRetryPolicy(settings: () => HubSpotWebhookSettings): RetryPolicy {
  return {
    maxAttempts: 11,
    // Getters, so settings changed through the admin API apply to the next attempt.
    get timeoutMs() { return settings().timeoutMs; },
    shouldRetry: (status) => status === undefined || !NO_RETRY.has(status),
    delayMs: (attempt, retryAfter) => retryAfter !== undefined
      ? retryAfter * 1000
      : Math.min(settings().retryBaseDelayMs * 2 ** (attempt - 1), 3_600_000),
  };
}

type HubSpotEvent = Record<string, unknown> & { eventId: number };

export interface HubSpotWebhookSender {
  /** Turns a change into events and queues them; events of one turn of the event loop share requests. */
  publish(change: RecordChange): void;
  reset(): void;
}

export function createHubSpotWebhookSender(deps: {
  settings: () => HubSpotWebhookSettings;
  clientSecret: string;
  clock: EmulatorClock;
  queue: WebhookQueue;
}): HubSpotWebhookSender {
  let nextEventId = 1;
  let pending: HubSpotEvent[] = [];
  let flushScheduled = false;

  const subscriptionId = (eventType: string): number => {
    const index = defaultSubscriptions().findIndex((s) => s.eventType === eventType);
    return 1_000 + (index < 0 ? 99 : index);
  };
  const subscribed = (eventType: string, propertyName?: string): boolean =>
    deps.settings().subscriptions.some((s) => s.eventType === eventType &&
      (propertyName === undefined || s.propertyName === undefined || s.propertyName === propertyName));

  const flush = (): void => {
    flushScheduled = false;
    const s = deps.settings();
    const events = pending;
    pending = [];
    if (!s.targetUrl) return;
    // Sign the URL exactly as it goes on the wire (fetch normalises, e.g. adds the trailing "/" of a bare host).
    const url = new URL(s.targetUrl).toString();
    for (let i = 0; i < events.length; i += s.maxEventsPerRequest) {
      const chunk = events.slice(i, i + s.maxEventsPerRequest);
      deps.queue.enqueue({
        describe: chunk.map((e) => `${String(e.subscriptionType)}#${e.eventId}`).join(','),
        build: (attempt) => {
          const body = JSON.stringify(chunk.map((e) => ({ ...e, attemptNumber: attempt })));
          const timestamp = deps.clock.nowMs();
          const headers: Record<string, string> = {
            'Content-Type': 'application/json',
            'User-Agent': 'HubSpot Connect 2.0 (http://dev.hubspot.com/)',
            'X-HubSpot-Signature-v3': signV3(deps.clientSecret, 'POST', url, body, timestamp),
            'X-HubSpot-Request-Timestamp': String(timestamp),
          };
          if (s.legacySignature === 'v1') {
            headers['X-HubSpot-Signature'] = signV1(deps.clientSecret, body);
            headers['X-HubSpot-Signature-Version'] = 'v1';
          } else if (s.legacySignature === 'v2') {
            headers['X-HubSpot-Signature'] = signV2(deps.clientSecret, 'POST', url, body);
            headers['X-HubSpot-Signature-Version'] = 'v2';
          }
          return { method: 'POST', url, headers, body };
        },
      });
    }
  };

  const push = (eventType: string, change: RecordChange, extra: Record<string, unknown>): void => {
    const s = deps.settings();
    pending.push({
      eventId: nextEventId++,
      subscriptionId: subscriptionId(eventType),
      portalId: s.portalId,
      appId: s.appId,
      occurredAt: deps.clock.nowMs(),
      subscriptionType: eventType,
      attemptNumber: 0,
      objectId: Number(change.record.id),
      changeSource: change.source,
      ...extra,
    });
  };

  return {
    reset() { pending = []; nextEventId = 1; },
    publish(change) {
      const singular = change.type.name === 'contacts' ? 'contact' : 'company';
      if (change.kind === 'creation' && subscribed(`${singular}.creation`)) push(`${singular}.creation`, change, { changeFlag: 'NEW' });
      if (change.kind === 'deletion' && subscribed(`${singular}.deletion`)) push(`${singular}.deletion`, change, { changeFlag: 'DELETED' });
      if (change.kind === 'creation' || change.kind === 'propertyChange') {
        for (const c of change.changed) {
          if (subscribed(`${singular}.propertyChange`, c.name)) {
            push(`${singular}.propertyChange`, change, { propertyName: c.name, propertyValue: c.value });
          }
        }
      }
      if (pending.length > 0 && !flushScheduled) {
        flushScheduled = true;
        deps.queue.defer(flush);
      }
    },
  };
}
