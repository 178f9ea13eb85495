import { describe, expect, it } from 'vitest';
import { createRuntimeMetrics, runtimeEvents } from '../../../src/runtime/metrics.js';

describe('runtime metrics', () => {
  it('exposes every metric an operator needs, each naming the log event that feeds it', async () => {
    const metrics = createRuntimeMetrics({ processMetrics: false });
    const text = await metrics.registry.metrics();
    for (const name of [
      'concord_webhook_events_received_total', 'concord_webhook_requests_refused_total', 'concord_queue_depth', 'concord_writes_total',
      'concord_conflicts_total', 'concord_dead_letters_total', 'concord_rate_limit_waits_total', 'concord_poll_lag_seconds',
      'concord_circuit_state', 'concord_webhook_unannounced_changes_total', 'concord_webhook_deadman_alert', 'concord_reconcile_drift',
    ]) expect(text, name).toContain(`# TYPE ${name} `);
    const helps = [...text.matchAll(/^# HELP \S+ (.*)$/gm)].map((m) => m[1]!);
    const eventNames = new Set<string>(Object.values(runtimeEvents));
    for (const help of helps) {
      const event = /\(event ([a-z]+:[a-z]+:[a-z]+)\)\.$/.exec(help)?.[1];
      expect(event && eventNames.has(event), help).toBe(true);
    }
  });

  it('keeps two daemons in one process apart', async () => {
    const a = createRuntimeMetrics({ processMetrics: false });
    const b = createRuntimeMetrics({ processMetrics: false });
    a.conflicts.inc({ pair: 'p' });
    expect(await b.registry.metrics()).not.toContain('concord_conflicts_total{pair="p"}');
    expect(await a.registry.metrics()).toContain('concord_conflicts_total{pair="p"} 1');
  });
});
