/**
 * `POST|GET /webhooks/:system[/*]`: verify the raw body with the system's connector, answer handshakes,
 * parse, store the events in the inbox (deduplicated by provider event id), and answer once the
 * commit is done — without waiting for the sync (DESIGN §2, step 1). Nothing is stored for a request
 * that fails verification or parsing.
 *
 * Status codes are chosen for how providers retry: 401 and 400 are final for a request that will never
 * verify or parse; a replay gets 200 (a provider retrying on error would otherwise keep resending);
 * a store failure gets 503 so the provider delivers again later.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ChangeHint, Verification, WebhookHandler, WebhookRequest, WebhookSecrets } from '../../connectors/contract.js';
import type { Clock } from '../../shared/clock.js';
import { asSystemId, type SystemId } from '../../shared/ids.js';
import type { Logger } from '../../shared/logger.js';
import type { InboxEvent, InboxSink } from './inbox-sink.js';
import { flattenHeaders, rawBodyOf } from './raw-body.js';
import { runtimeEvents, type RuntimeMetrics } from '../metrics.js';

/** What the server knows of one system that takes webhooks. */
export interface WebhookEndpoint {
  system: SystemId;
  handler: WebhookHandler;
  secrets: WebhookSecrets;
}

export interface WebhookRoutesOptions {
  /** Looks a system up by the `:system` path segment; read per request, so hot reload can swap it. */
  endpoint: (system: string) => WebhookEndpoint | undefined;
  inbox: InboxSink;
  clock: Clock;
  log: Logger;
  metrics: RuntimeMetrics;
  /**
   * The URL providers call, e.g. `https://concord.example.com`, for schemes that sign the URL.
   * Default is the request's own protocol and Host header (wrong behind a proxy that rewrites them).
   */
  publicBaseUrl?: string;
  /** Told about newly stored events after the commit, to wake the queue; never awaited. */
  onStored?: (events: InboxEvent[]) => void;
}

type RefusalReason = 'signature' | 'timestamp' | 'missing-signature' | 'malformed' | 'unknown-system';

const refusalStatus: Record<RefusalReason, number> = {
  signature: 401, timestamp: 401, 'missing-signature': 401, malformed: 400, 'unknown-system': 404,
};

export function registerWebhookRoutes(app: FastifyInstance, options: WebhookRoutesOptions): void {
  const { metrics, log } = options;

  const refuse = (reply: FastifyReply, system: string, reason: RefusalReason, message: string) => {
    metrics.eventsRefused.inc({ system, reason });
    log.warn({ event: runtimeEvents.webhookRefused, system, reason, message }, 'webhook refused');
    return reply.code(refusalStatus[reason]).send({ error: reason, message });
  };

  const handle = async (req: FastifyRequest<{ Params: { system: string } }>, reply: FastifyReply) => {
    const started = performance.now();
    const name = req.params.system;
    const endpoint = options.endpoint(name);
    if (!endpoint) return refuse(reply, 'unknown', 'unknown-system', `no system "${name}" takes webhooks here`);
    const system = endpoint.system;

    const webhookReq = toWebhookRequest(req, system, options.publicBaseUrl);
    const verification: Verification = endpoint.handler.verify(webhookReq, endpoint.secrets, options.clock.now());
    if (!verification.ok) return refuse(reply, system, verification.reason, verification.message);
    if ('handshake' in verification) {
      log.info({ event: 'webhook:handshake:answered', system }, 'webhook handshake answered');
      const { status, contentType, body } = verification.handshake;
      return reply.code(status).type(contentType).send(body);
    }

    let hints: ChangeHint[];
    try {
      hints = endpoint.handler.parse(webhookReq);
    } catch (err) {
      return refuse(reply, system, 'malformed', err instanceof Error ? err.message : String(err));
    }
    metrics.eventsReceived.inc({ system }, hints.length);
    if (hints.length === 0) return reply.code(200).send({ received: 0, stored: 0, duplicates: 0 });

    const receivedAt = options.clock.now().toISOString();
    const events = hints.map((h) => toInboxEvent(system, h, receivedAt));
    let result;
    try {
      result = await options.inbox.append(events);
    } catch (err) {
      log.error({ event: 'webhook:inbox:failed', system, err }, 'webhook events could not be stored; provider will retry');
      return reply.code(503).send({ error: 'unavailable', message: 'events could not be stored; retry later' });
    }
    metrics.eventsStored.inc({ system }, result.stored);
    if (result.duplicates > 0) metrics.eventsRefused.inc({ system, reason: 'duplicate' }, result.duplicates);
    metrics.webhookDuration.observe({ system }, (performance.now() - started) / 1000);
    log.info({ event: runtimeEvents.webhookStored, system, stored: result.stored, duplicates: result.duplicates }, 'webhook events stored');
    if (result.stored > 0 && options.onStored) queueMicrotask(() => options.onStored?.(events));
    return reply.code(200).send({ received: hints.length, stored: result.stored, duplicates: result.duplicates });
  };

  for (const url of ['/webhooks/:system', '/webhooks/:system/*']) {
    app.route({ method: ['GET', 'POST'], url, handler: handle });
  }
}

function toWebhookRequest(req: FastifyRequest<{ Params: { system: string } }>, system: string, publicBaseUrl?: string): WebhookRequest {
  const prefix = `/webhooks/${encodeURIComponent(system)}`;
  const path = req.url.startsWith(prefix) ? req.url.slice(prefix.length) : req.url;
  const base = publicBaseUrl?.replace(/\/+$/, '') ?? `${req.protocol}://${req.host}`;
  return {
    method: req.method,
    path,
    url: `${base}${req.url}`,
    headers: flattenHeaders(req.headers),
    rawBody: rawBodyOf(req.body),
  };
}

function toInboxEvent(system: SystemId, hint: ChangeHint, receivedAt: string): InboxEvent {
  return {
    system: asSystemId(system),
    object: hint.object,
    remoteId: hint.id,
    eventId: hint.eventId,
    kind: hint.kind,
    occurredAt: hint.occurredAt,
    source: 'webhook',
    ...(hint.fields ? { fields: hint.fields } : {}),
    receivedAt,
  };
}
