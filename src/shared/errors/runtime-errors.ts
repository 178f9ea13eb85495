import { defineErrors } from './error.js';

/** Error codes of the runtime area. Keep the README's error table in step (a test checks it). */
export const runtimeErrors = defineErrors({
  CONCORD_ERR_RUNTIME_ADMIN_TOKEN_MISSING: {
    meaning: 'The HTTP server was configured to listen on a non-loopback address without a bearer token for its admin endpoints (/metrics and the admin API).',
    action: 'Set http.admin_token (or http.admin_token_file), or set http.host to 127.0.0.1 or ::1.',
  },
  CONCORD_ERR_RUNTIME_RATE_LIMIT_INVALID: {
    meaning: "A provider account's rate limit settings are out of range (budget, interval, headroom or concurrency).",
    action: 'Give a positive request budget and interval, a headroom between 0 (exclusive) and 1, and a positive concurrency cap.',
  },
  CONCORD_ERR_RUNTIME_CIRCUIT_OPEN: {
    meaning: "Calls to a system are refused for now because its circuit breaker opened after consecutive failures.",
    action: 'Check the system (status page, credentials, network); Concord probes it again after the cool-down and carries on by itself.',
  },
  CONCORD_ERR_RUNTIME_POLL_SCHEDULE_INVALID: {
    meaning: 'A poll schedule is not a valid cron expression.',
    action: 'Use a cron expression with 5 fields (minute hour day-of-month month day-of-week) or 6 with seconds first, e.g. "*/5 * * * *".',
  },
  CONCORD_ERR_RUNTIME_SHUTDOWN_STEP_FAILED: {
    meaning: 'A step of the graceful shutdown (stop intake, drain work, close the store) failed or ran past its time bound.',
    action: 'Read the logged step and error; work that did not finish is still in the inbox and is picked up on the next start.',
  },
  CONCORD_ERR_RUNTIME_STARTUP_INVALID: {
    meaning: 'The daemon did not start because the config or a mapping file has errors (each listed as file:line:col).',
    action: 'Fix the listed problems (`concord validate` shows the same list) and start the daemon again.',
  },
  CONCORD_ERR_RUNTIME_DEAD_LETTER_UNKNOWN: {
    meaning: 'No dead letter has the id given to `concord dlq retry` or `concord dlq drop`.',
    action: 'Run `concord dlq list` for the ids in the queue; a retried or dropped letter is no longer there.',
  },
  CONCORD_ERR_RUNTIME_PAIR_NOT_PAUSED: {
    meaning: '`concord approve --pair P` was given a pair that is not paused by the mass-change guard.',
    action: 'Run `concord status` to see which pairs are paused; a pair that is running needs no approval.',
  },
});
