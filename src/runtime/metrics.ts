/**
 * The daemon's Prometheus metrics, in one registry. Each metric is named after the log event that
 * feeds it (`area:subject:verb`, STYLE §7), so a log line and a metric can be matched by name.
 * A fresh registry per daemon (not prom-client's global one) keeps tests and several daemons in one
 * process apart.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Event names shared by logs and metrics. */
export const runtimeEvents = {
  webhookReceived: 'webhook:event:received',
  webhookRefused: 'webhook:request:refused',
  webhookStored: 'webhook:event:stored',
  queueDepth: 'queue:key:queued',
  writeDone: 'write:op:done',
  conflictOpened: 'merge:conflict:opened',
  deadLettered: 'work:item:deadlettered',
  rateLimitWaited: 'ratelimit:call:waited',
  httpCalled: 'http:call:done',
  retryScheduled: 'http:call:retried',
  circuitChanged: 'circuit:state:changed',
  pollDone: 'poll:run:done',
  pollSkipped: 'poll:run:skipped',
  pollUnannounced: 'poll:change:unannounced',
  deadMansAlert: 'poll:deadman:alerted',
  reconcileDrift: 'reconcile:drift:found',
} as const;

export type RuntimeEvent = (typeof runtimeEvents)[keyof typeof runtimeEvents];

/** Circuit state as a number on the gauge: 0 closed, 1 half-open, 2 open. */
export const circuitStateValue = { closed: 0, 'half-open': 1, open: 2 } as const;

export interface RuntimeMetrics {
  readonly registry: Registry;
  readonly eventsReceived: Counter<'system'>;
  /** reason: signature | timestamp | missing-signature | malformed | size | unknown-system | duplicate */
  readonly eventsRefused: Counter<'system' | 'reason'>;
  readonly eventsStored: Counter<'system'>;
  readonly queueDepth: Gauge<'queue'>;
  /** result: ok | stale-version | not-found | validation | conflict | rate-limited | retryable | auth | permanent */
  readonly writes: Counter<'system' | 'result'>;
  readonly conflicts: Counter<'pair'>;
  readonly deadLetters: Counter<'system'>;
  readonly rateLimitWaits: Counter<'account'>;
  readonly httpCalls: Counter<'system' | 'status'>;
  readonly retries: Counter<'system'>;
  readonly circuitState: Gauge<'system'>;
  readonly pollLag: Gauge<'pair' | 'object'>;
  readonly pollSkipped: Counter<'pair' | 'object'>;
  readonly pollRuns: Counter<'pair' | 'object' | 'result'>;
  readonly unannouncedChanges: Counter<'pair' | 'object'>;
  /** 1 while the webhook dead-man's switch is tripped for a (pair, object), else 0. */
  readonly deadMansAlert: Gauge<'pair' | 'object'>;
  readonly reconcileDrift: Gauge<'pair' | 'kind'>;
  readonly webhookDuration: Histogram<'system'>;
}

export interface MetricsOptions {
  /** Also collect Node process metrics (memory, event-loop lag). Default is true. */
  processMetrics?: boolean;
}

export function createRuntimeMetrics(options: MetricsOptions = {}): RuntimeMetrics {
  const registry = new Registry();
  if (options.processMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: 'concord_' });
  const help = (text: string, event: RuntimeEvent) => `${text} (event ${event}).`;
  const registers = [registry];
  return {
    registry,
    eventsReceived: new Counter({ name: 'concord_webhook_events_received_total', help: help('Webhook events verified and parsed', runtimeEvents.webhookReceived), labelNames: ['system'], registers }),
    eventsRefused: new Counter({ name: 'concord_webhook_requests_refused_total', help: help('Webhook requests or events refused, by reason', runtimeEvents.webhookRefused), labelNames: ['system', 'reason'], registers }),
    eventsStored: new Counter({ name: 'concord_webhook_events_stored_total', help: help('Webhook events newly stored in the inbox', runtimeEvents.webhookStored), labelNames: ['system'], registers }),
    queueDepth: new Gauge({ name: 'concord_queue_depth', help: help('Keys waiting or running in a work queue', runtimeEvents.queueDepth), labelNames: ['queue'], registers }),
    writes: new Counter({ name: 'concord_writes_total', help: help('Write operations by system and result', runtimeEvents.writeDone), labelNames: ['system', 'result'], registers }),
    conflicts: new Counter({ name: 'concord_conflicts_total', help: help('Field conflicts opened', runtimeEvents.conflictOpened), labelNames: ['pair'], registers }),
    deadLetters: new Counter({ name: 'concord_dead_letters_total', help: help('Work items sent to the dead-letter queue after the last attempt', runtimeEvents.deadLettered), labelNames: ['system'], registers }),
    rateLimitWaits: new Counter({ name: 'concord_rate_limit_waits_total', help: help('API calls that had to wait for their account budget', runtimeEvents.rateLimitWaited), labelNames: ['account'], registers }),
    httpCalls: new Counter({ name: 'concord_http_calls_total', help: help('API calls by system and HTTP status (or "network")', runtimeEvents.httpCalled), labelNames: ['system', 'status'], registers }),
    retries: new Counter({ name: 'concord_retries_total', help: help('Retried API calls or work items', runtimeEvents.retryScheduled), labelNames: ['system'], registers }),
    circuitState: new Gauge({ name: 'concord_circuit_state', help: help('Circuit breaker state per system: 0 closed, 1 half-open, 2 open', runtimeEvents.circuitChanged), labelNames: ['system'], registers }),
    pollLag: new Gauge({ name: 'concord_poll_lag_seconds', help: help('Age of the newest change seen by the last poll, per pair and object', runtimeEvents.pollDone), labelNames: ['pair', 'object'], registers }),
    pollSkipped: new Counter({ name: 'concord_poll_skipped_total', help: help('Polls skipped because the previous poll of the same cursor was still running', runtimeEvents.pollSkipped), labelNames: ['pair', 'object'], registers }),
    pollRuns: new Counter({ name: 'concord_poll_runs_total', help: help('Polls run, by result (ok | failed)', runtimeEvents.pollDone), labelNames: ['pair', 'object', 'result'], registers }),
    unannouncedChanges: new Counter({ name: 'concord_webhook_unannounced_changes_total', help: help('Changes found by polls that no webhook announced', runtimeEvents.pollUnannounced), labelNames: ['pair', 'object'], registers }),
    deadMansAlert: new Gauge({ name: 'concord_webhook_deadman_alert', help: help("1 while polls keep finding changes no webhook announced (webhooks may be broken)", runtimeEvents.deadMansAlert), labelNames: ['pair', 'object'], registers }),
    reconcileDrift: new Gauge({ name: 'concord_reconcile_drift', help: help('Records found out of step by the last reconcile pass, by kind (missing | changed | deleted)', runtimeEvents.reconcileDrift), labelNames: ['pair', 'kind'], registers }),
    webhookDuration: new Histogram({ name: 'concord_webhook_request_seconds', help: help('Time from webhook request to answer, including the inbox commit', runtimeEvents.webhookStored), labelNames: ['system'], buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5], registers }),
  };
}
