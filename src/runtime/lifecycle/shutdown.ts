/**
 * Graceful shutdown (DESIGN §8): on SIGTERM (or SIGINT) run the steps in order — stop intake (close the
 * webhook server), wait for in-flight work, close the store — each bounded in time, then exit 0.
 * A step past its bound is abandoned (its signal aborts) and the next one runs: a stuck drain must not
 * keep the store open forever, and what did not finish is still in the inbox for the next start.
 * A second signal while shutting down exits at once (143), for an operator who will not wait.
 */
import { ConcordError } from '../../shared/errors/index.js';
import type { Logger } from '../../shared/logger.js';

export interface ShutdownStep {
  /** Shown in logs, e.g. `intake`, `drain`, `store`. */
  name: string;
  /** Does the step; should end early when `signal` aborts (the bound passed). */
  run(signal: AbortSignal): Promise<void>;
  /** Bound for this step. Default is the shutdown's `timeoutMs`. */
  timeoutMs?: number;
}

export interface ShutdownOptions {
  steps: ShutdownStep[];
  /** Default bound of each step. */
  timeoutMs: number;
  log: Logger;
  /** How the process ends. Default is process.exit; tests pass their own. */
  exit?: (code: number) => void;
}

export interface Shutdown {
  /** Runs the steps once and exits; resolves with the exit code. A second call while running exits at once. */
  trigger(reason: string): Promise<number>;
  /** Listens for SIGTERM and SIGINT on `target`; returns a function that stops listening. */
  install(target?: Pick<NodeJS.Process, 'on' | 'off'>): () => void;
}

/** Exit code for a second signal: 128 + SIGTERM (15), as a shell reports a process killed by it. */
export const forcedExitCode = 143;

type StepOutcome = 'done' | 'timed-out' | 'failed';

async function runStep(step: ShutdownStep, defaultTimeoutMs: number, log: Logger): Promise<StepOutcome> {
  const bound = step.timeoutMs ?? defaultTimeoutMs;
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<StepOutcome>((resolve) => {
    timer = setTimeout(() => { controller.abort(); resolve('timed-out'); }, bound);
  });
  const run = step.run(controller.signal).then((): StepOutcome => 'done', (err: unknown): StepOutcome => {
    const error = new ConcordError('CONCORD_ERR_RUNTIME_SHUTDOWN_STEP_FAILED', `shutdown step "${step.name}" failed: ${err instanceof Error ? err.message : String(err)}`, { step: step.name }, { cause: err });
    log.error({ event: 'shutdown:step:failed', step: step.name, code: error.code, err }, error.message);
    return 'failed';
  });
  try {
    const outcome = await Promise.race([run, timeout]);
    if (outcome === 'timed-out') {
      log.warn({ event: 'shutdown:step:timedout', step: step.name, code: 'CONCORD_ERR_RUNTIME_SHUTDOWN_STEP_FAILED', boundMs: bound },
        `shutdown step "${step.name}" did not finish within ${bound} ms; going on`);
    } else if (outcome === 'done') {
      log.info({ event: 'shutdown:step:done', step: step.name }, `shutdown step "${step.name}" done`);
    }
    return outcome;
  } finally {
    clearTimeout(timer);
  }
}

export function createShutdown(options: ShutdownOptions): Shutdown {
  const exit = options.exit ?? ((code: number) => process.exit(code));
  let running: Promise<number> | undefined;

  const trigger = (reason: string): Promise<number> => {
    if (running) {
      options.log.warn({ event: 'shutdown:process:forced', reason }, 'second stop signal: exiting at once');
      exit(forcedExitCode);
      return Promise.resolve(forcedExitCode);
    }
    running = (async () => {
      options.log.info({ event: 'shutdown:process:started', reason }, 'shutting down');
      let failed = false;
      for (const step of options.steps) {
        if ((await runStep(step, options.timeoutMs, options.log)) === 'failed') failed = true;
      }
      const code = failed ? 1 : 0;
      options.log.info({ event: 'shutdown:process:done', code }, 'shut down');
      exit(code);
      return code;
    })();
    return running;
  };

  return {
    trigger,
    install(target = process) {
      const onSignal = (signal: NodeJS.Signals) => { void trigger(signal); };
      target.on('SIGTERM', onSignal);
      target.on('SIGINT', onSignal);
      return () => {
        target.off('SIGTERM', onSignal);
        target.off('SIGINT', onSignal);
      };
    },
  };
}
