/**
 * Fallback polling (DESIGN §2, intake) with node-cron, one task per (pair, object). The poll itself is
 * a given `pollOnce` (read changes since the stored cursor, store them in the inbox, save the cursor).
 * Two polls of the same cursor never overlap: a poll due while the previous one still runs is skipped
 * and counted, as the running one will read those changes anyway. For systems with webhooks, a
 * dead-man's switch watches for changes no webhook announced and, when tripped, raises an alert
 * metric and polls on a shorter schedule until webhooks prove working again.
 */
import cron, { type ScheduledTask } from 'node-cron';
import { ConcordError } from '../../shared/errors/index.js';
import type { Clock } from '../../shared/clock.js';
import type { Logger } from '../../shared/logger.js';
import { runtimeEvents, type RuntimeMetrics } from '../metrics.js';
import { createDeadMansSwitch, type DeadMansSwitch } from './dead-mans-switch.js';

export interface PollOutcome {
  /** Changes the poll found. */
  changes: number;
  /** Of those, how many no webhook had announced. */
  unannounced: number;
  /** Modification time of the newest change seen (ISO-8601), for the poll-lag gauge. */
  newestChangeAt?: string;
}

export interface PollJob {
  pair: string;
  object: string;
  /** The cursor the poll reads, e.g. `hubspot/contacts`: jobs with the same key never run at once. */
  cursorKey: string;
  /** Cron expression from the mapping's `poll`. */
  schedule: string;
  /** Whether the system sends webhooks; only then does the dead-man's switch watch. Default is false. */
  webhooks?: boolean;
  pollOnce(signal: AbortSignal): Promise<PollOutcome>;
}

export interface PollSchedulerOptions {
  jobs: PollJob[];
  clock: Clock;
  log: Logger;
  metrics?: RuntimeMetrics;
  deadMan?: {
    /** See DeadMansSwitchOptions. Default is 5. */
    threshold?: number;
    /** The schedule while tripped. Default is every minute. */
    alertSchedule?: string;
  };
  /** IANA zone for schedules. Default is the process's zone. */
  timezone?: string;
}

export type PollRun = 'ran' | 'skipped' | 'failed';

export interface PollScheduler {
  start(): void;
  /** Stops the schedules, aborts running polls and waits for them. */
  stop(): Promise<void>;
  /** Polls (pair, object) now, as its schedule would. */
  runNow(pair: string, object: string): Promise<PollRun>;
  /** The schedule in force for (pair, object). */
  scheduleOf(pair: string, object: string): string;
  alerted(pair: string, object: string): boolean;
}

export function assertValidSchedule(expression: string, where: string): void {
  if (!cron.validate(expression)) {
    throw new ConcordError(
      'CONCORD_ERR_RUNTIME_POLL_SCHEDULE_INVALID',
      `${where}: expected a cron expression with 5 fields (or 6 with seconds first), found "${expression}"`,
      { where, expression },
    );
  }
}

interface JobState {
  job: PollJob;
  schedule: string;
  task?: ScheduledTask;
  deadMan: DeadMansSwitch;
}

/**
 * Of two cron schedules, the one whose next ten runs lie closer together. The alert schedule must never poll less
 * often than the pair's own: a pair polled every 2 s went to once a minute on an alert.
 */
function moreFrequent(a: string, b: string): string {
  const span = (expression: string) => {
    const task = cron.createTask(expression, () => {});
    try {
      const runs = task.getNextRuns(10);
      return runs.length < 2 ? Number.POSITIVE_INFINITY : runs[runs.length - 1]!.getTime() - runs[0]!.getTime();
    } finally {
      void task.destroy();
    }
  };
  return span(a) <= span(b) ? a : b;
}

export function createPollScheduler(options: PollSchedulerOptions): PollScheduler {
  const alertSchedule = options.deadMan?.alertSchedule ?? '* * * * *';
  assertValidSchedule(alertSchedule, 'poll alert schedule');
  const states = new Map<string, JobState>();
  for (const job of options.jobs) {
    assertValidSchedule(job.schedule, `mapping ${job.pair} (${job.object}) poll`);
    const deadMan = createDeadMansSwitch(options.deadMan?.threshold !== undefined ? { threshold: options.deadMan.threshold } : {});
    states.set(`${job.pair}\u0000${job.object}`, { job, schedule: job.schedule, deadMan });
  }
  const runningCursors = new Map<string, Promise<unknown>>();
  const controller = new AbortController();
  let started = false;

  const stateOf = (pair: string, object: string): JobState => {
    const state = states.get(`${pair}\u0000${object}`);
    if (!state) throw new Error(`no poll job for pair "${pair}" object "${object}"`);
    return state;
  };

  const arm = (state: JobState) => {
    void state.task?.destroy();
    state.task = cron.createTask(state.schedule, () => { void runNow(state.job.pair, state.job.object); }, {
      name: `poll:${state.job.pair}:${state.job.object}`,
      ...(options.timezone ? { timezone: options.timezone } : {}),
    });
    if (started) void state.task.start();
  };

  const reschedule = (state: JobState, schedule: string) => {
    if (state.schedule === schedule) return;
    state.schedule = schedule;
    if (started) arm(state);
  };

  const record = (state: JobState, outcome: PollOutcome) => {
    const { pair, object } = state.job;
    const labels = { pair, object };
    options.metrics?.pollRuns.inc({ ...labels, result: 'ok' });
    if (outcome.newestChangeAt) {
      const lag = (options.clock.now().getTime() - Date.parse(outcome.newestChangeAt)) / 1000;
      if (Number.isFinite(lag)) options.metrics?.pollLag.set(labels, Math.max(0, lag));
    }
    options.log.info({ event: runtimeEvents.pollDone, pair, object, changes: outcome.changes, unannounced: outcome.unannounced }, 'poll done');
    if (!state.job.webhooks) return;
    if (outcome.unannounced > 0) {
      options.metrics?.unannouncedChanges.inc(labels, outcome.unannounced);
      options.log.warn({ event: runtimeEvents.pollUnannounced, pair, object, unannounced: outcome.unannounced }, 'poll found changes no webhook announced');
    }
    const change = state.deadMan.record(outcome.changes, outcome.unannounced);
    if (change === 'tripped') {
      options.metrics?.deadMansAlert.set(labels, 1);
      const schedule = moreFrequent(alertSchedule, state.job.schedule);
      options.log.error({ event: runtimeEvents.deadMansAlert, pair, object, unannounced: state.deadMan.unannounced, schedule },
        'polls keep finding changes no webhook announced: webhooks may be broken; polling more often');
      reschedule(state, schedule);
    } else if (change === 'reset') {
      options.metrics?.deadMansAlert.set(labels, 0);
      options.log.info({ event: 'poll:deadman:reset', pair, object }, 'webhooks announce changes again; back to the normal poll schedule');
      reschedule(state, state.job.schedule);
    }
  };

  async function runNow(pair: string, object: string): Promise<PollRun> {
    const state = stateOf(pair, object);
    const { cursorKey } = state.job;
    if (runningCursors.has(cursorKey)) {
      options.metrics?.pollSkipped.inc({ pair, object });
      options.log.info({ event: runtimeEvents.pollSkipped, pair, object, cursor: cursorKey }, 'poll skipped: the previous poll of this cursor is still running');
      return 'skipped';
    }
    const run = (async (): Promise<PollRun> => {
      try {
        record(state, await state.job.pollOnce(controller.signal));
        return 'ran';
      } catch (err) {
        options.metrics?.pollRuns.inc({ pair, object, result: 'failed' });
        options.log.error({ event: 'poll:run:failed', pair, object, err }, 'poll failed; the cursor stays where it was');
        return 'failed';
      }
    })();
    runningCursors.set(cursorKey, run);
    try {
      return await run;
    } finally {
      runningCursors.delete(cursorKey);
    }
  }

  return {
    start() {
      if (started) return;
      started = true;
      for (const state of states.values()) arm(state);
    },
    async stop() {
      started = false;
      await Promise.all([...states.values()].map((s) => s.task?.destroy()));
      controller.abort();
      await Promise.all([...runningCursors.values()]);
    },
    runNow,
    scheduleOf: (pair, object) => stateOf(pair, object).schedule,
    alerted: (pair, object) => stateOf(pair, object).deadMan.tripped,
  };
}
