/**
 * The emulator's idea of "now": real time plus an offset the admin API can move forward, so tests can
 * expire an OAuth token or roll a rate-limit window without waiting. Timers (webhook retries) still run
 * on real time; only what the API reports and compares moves.
 */
export interface EmulatorClock {
  now(): Date;
  nowMs(): number;
  advance(ms: number): void;
  /** Offset from real time in milliseconds. */
  offsetMs(): number;
  reset(): void;
}

export function createEmulatorClock(): EmulatorClock {
  let offset = 0;
  const nowMs = (): number => Date.now() + offset;
  return {
    now: () => new Date(nowMs()),
    nowMs,
    advance: (ms) => { offset += ms; },
    offsetMs: () => offset,
    reset: () => { offset = 0; },
  };
}
