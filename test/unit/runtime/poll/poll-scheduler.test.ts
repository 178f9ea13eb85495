import { afterEach, describe, expect, it } from 'vitest';
import { createDeadMansSwitch } from '../../../../src/runtime/poll/dead-mans-switch.js';
import { createPollScheduler, type PollJob, type PollOutcome, type PollScheduler } from '../../../../src/runtime/poll/poll-scheduler.js';
import { createRuntimeMetrics } from '../../../../src/runtime/metrics.js';
import { createManualClock } from '../../../../src/shared/clock.js';
import { isConcordError } from '../../../../src/shared/errors/index.js';
import { silentLogger } from '../../../../src/shared/logger.js';

const clock = createManualClock('2026-03-01T12:00:00.000Z');
const schedulers: PollScheduler[] = [];
afterEach(async () => { await Promise.all(schedulers.splice(0).map((s) => s.stop())); });

function deferred<T>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => { resolve = r; });
  return { promise, resolve };
}

function job(over: Partial<PollJob> & Pick<PollJob, 'pollOnce'>): PollJob {
  return { pair: 'crm-mkt', object: 'contacts', cursorKey: 'crm/contacts', schedule: '*/5 * * * *', ...over };
}

function scheduler(jobs: PollJob[], extra: { threshold?: number } = {}) {
  const metrics = createRuntimeMetrics({ processMetrics: false });
  const s = createPollScheduler({ jobs, clock, log: silentLogger, metrics, deadMan: { threshold: extra.threshold ?? 3, alertSchedule: '* * * * *' } });
  schedulers.push(s);
  return { s, metrics };
}

const valueOf = async (metric: { get(): Promise<{ values: Array<{ value: number; labels: Record<string, unknown> }> }> }, labels: Record<string, string> = {}) =>
  (await metric.get()).values.filter((v) => Object.entries(labels).every(([k, x]) => v.labels[k] === x)).reduce((n, v) => n + v.value, 0);

describe('poll scheduler', () => {
  it('skips and counts a poll of a cursor that is still being polled, while other cursors run', async () => {
    const gate = deferred<PollOutcome>();
    let otherRan = false;
    const { s, metrics } = scheduler([
      job({ pollOnce: () => gate.promise }),
      job({ pair: 'crm-acc', cursorKey: 'crm/contacts', pollOnce: async () => ({ changes: 0, unannounced: 0 }) }),
      job({ pair: 'shop', object: 'orders', cursorKey: 'shop/orders', pollOnce: async () => { otherRan = true; return { changes: 0, unannounced: 0 }; } }),
    ]);
    const first = s.runNow('crm-mkt', 'contacts');
    expect(await s.runNow('crm-mkt', 'contacts')).toBe('skipped');
    expect(await s.runNow('crm-acc', 'contacts')).toBe('skipped');
    expect(await s.runNow('shop', 'orders')).toBe('ran');
    expect(otherRan).toBe(true);
    gate.resolve({ changes: 1, unannounced: 0 });
    expect(await first).toBe('ran');
    expect(await s.runNow('crm-mkt', 'contacts')).toBe('ran');
    expect(await valueOf(metrics.pollSkipped)).toBe(2);
  });

  it('counts a failed poll and polls again next time', async () => {
    let calls = 0;
    const { s, metrics } = scheduler([job({ pollOnce: async () => { calls++; if (calls === 1) throw new Error('503 from provider'); return { changes: 0, unannounced: 0 }; } })]);
    expect(await s.runNow('crm-mkt', 'contacts')).toBe('failed');
    expect(await s.runNow('crm-mkt', 'contacts')).toBe('ran');
    expect(await valueOf(metrics.pollRuns, { result: 'failed' })).toBe(1);
  });

  it('reports poll lag from the newest change seen', async () => {
    const { s, metrics } = scheduler([job({ pollOnce: async () => ({ changes: 2, unannounced: 0, newestChangeAt: '2026-03-01T11:59:00.000Z' }) })]);
    await s.runNow('crm-mkt', 'contacts');
    expect(await valueOf(metrics.pollLag)).toBe(60);
  });

  it('trips the dead-man switch when polls keep finding unannounced changes, then resets when webhooks work', async () => {
    const outcomes: PollOutcome[] = [
      { changes: 1, unannounced: 1 }, { changes: 0, unannounced: 0 }, { changes: 2, unannounced: 1 }, { changes: 1, unannounced: 1 },
      { changes: 3, unannounced: 0 },
    ];
    const { s, metrics } = scheduler([job({ webhooks: true, pollOnce: async () => outcomes.shift()! })]);
    for (let i = 0; i < 3; i++) await s.runNow('crm-mkt', 'contacts');
    expect(s.alerted('crm-mkt', 'contacts')).toBe(false);
    expect(s.scheduleOf('crm-mkt', 'contacts')).toBe('*/5 * * * *');
    await s.runNow('crm-mkt', 'contacts');
    expect(s.alerted('crm-mkt', 'contacts')).toBe(true);
    expect(s.scheduleOf('crm-mkt', 'contacts')).toBe('* * * * *');
    expect(await valueOf(metrics.deadMansAlert)).toBe(1);
    expect(await valueOf(metrics.unannouncedChanges)).toBe(3);
    await s.runNow('crm-mkt', 'contacts');
    expect(s.alerted('crm-mkt', 'contacts')).toBe(false);
    expect(s.scheduleOf('crm-mkt', 'contacts')).toBe('*/5 * * * *');
    expect(await valueOf(metrics.deadMansAlert)).toBe(0);
  });

  it('never polls less often on an alert: a pair polled every 2 s keeps its schedule', async () => {
    const { s } = scheduler([job({ schedule: '*/2 * * * * *', webhooks: true, pollOnce: async () => ({ changes: 1, unannounced: 1 }) })], { threshold: 1 });
    await s.runNow('crm-mkt', 'contacts');
    expect(s.alerted('crm-mkt', 'contacts')).toBe(true);
    expect(s.scheduleOf('crm-mkt', 'contacts')).toBe('*/2 * * * * *');
  });

  it('does not watch systems without webhooks', async () => {
    const { s } = scheduler([job({ pollOnce: async () => ({ changes: 5, unannounced: 5 }) })], { threshold: 1 });
    await s.runNow('crm-mkt', 'contacts');
    expect(s.alerted('crm-mkt', 'contacts')).toBe(false);
  });

  it('polls on its cron schedule once started', async () => {
    const polled = deferred<void>();
    const { s } = scheduler([job({ schedule: '* * * * * *', pollOnce: async () => { polled.resolve(); return { changes: 0, unannounced: 0 }; } })]);
    s.start();
    await polled.promise;
  });

  it('refuses a schedule that is not cron with a coded error', () => {
    let error: unknown;
    try { createPollScheduler({ jobs: [job({ schedule: 'every 5 minutes', pollOnce: async () => ({ changes: 0, unannounced: 0 }) })], clock, log: silentLogger }); } catch (err) { error = err; }
    expect(isConcordError(error) && error.code).toBe('CONCORD_ERR_RUNTIME_POLL_SCHEDULE_INVALID');
    expect((error as Error).message).toContain('mapping crm-mkt (contacts) poll');
  });
});

describe('dead-man switch', () => {
  it('sums unannounced changes until webhooks prove working', () => {
    const d = createDeadMansSwitch({ threshold: 4 });
    expect([d.record(2, 2), d.record(0, 0), d.record(1, 1), d.record(5, 0), d.record(3, 3), d.record(1, 1)]).toEqual(['none', 'none', 'none', 'none', 'none', 'tripped']);
    expect(d.record(1, 1)).toBe('none');
    expect(d.record(2, 0)).toBe('reset');
    expect(d.tripped).toBe(false);
  });
});
