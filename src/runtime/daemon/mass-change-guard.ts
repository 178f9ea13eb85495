/**
 * The mass-change guard (DESIGN §8): a pair is paused when its writes would delete or blank more than
 * `guard.max_change_share` of its records (default 10%) — a broken filter, a wiped list, a bad
 * mapping — until an operator runs `concord approve --pair P`.
 *
 * The daemon processes changes in small batches as they arrive, so one batch alone rarely shows a mass
 * change: destructive records are summed over a sliding window (default 10 minutes) and compared with
 * the pair's linked records. A pair with few links would trip on its first delete, so a floor applies
 * (default 5 records). After an approval the guard lets the pair's held work through and stays quiet
 * for one window, or it would pause the same work again.
 */
import type { ItemPlan } from '../../engine/process/item-plan.js';
import type { Clock } from '../../shared/clock.js';

export interface GuardOptions {
  clock: Clock;
  windowMs?: number;
  /** Destructive records below this count never trip the guard. Default is 5. */
  floor?: number;
}

export interface GuardVerdict {
  trip: boolean;
  destructive: number;
  links: number;
  share: number;
}

const isEmpty = (v: unknown) => v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);

/** Whether carrying out the plan deletes a record or blanks a field that held a value. */
export function isDestructive(plan: ItemPlan): boolean {
  if (plan.status !== 'changes') return false;
  return plan.writes.some((w) => w.op === 'delete' || w.changes.some((c) => isEmpty(c.new) && !isEmpty(c.old)));
}

export interface MassChangeGuard {
  /** Counts the plans' destructive records (when they pass) and says whether they trip the guard. */
  check(pair: string, plans: readonly ItemPlan[], links: number, maxShare: number): GuardVerdict;
  /** The pair was approved: its next window is not guarded. */
  approved(pair: string): void;
}

export function createMassChangeGuard(options: GuardOptions): MassChangeGuard {
  const windowMs = options.windowMs ?? 10 * 60_000;
  const floor = options.floor ?? 5;
  const events = new Map<string, number[]>();
  const quietUntil = new Map<string, number>();
  return {
    check(pair, plans, links, maxShare) {
      const now = options.clock.now().getTime();
      const destructive = plans.filter(isDestructive).length;
      const recent = (events.get(pair) ?? []).filter((t) => t > now - windowMs);
      const total = recent.length + destructive;
      const share = links === 0 ? (total > 0 ? 1 : 0) : total / links;
      const quiet = (quietUntil.get(pair) ?? 0) > now;
      const trip = !quiet && destructive > 0 && total >= floor && share > maxShare;
      if (!trip) {
        for (let i = 0; i < destructive; i++) recent.push(now);
      }
      events.set(pair, recent);
      return { trip, destructive: total, links, share };
    },
    approved(pair) {
      events.delete(pair);
      quietUntil.set(pair, options.clock.now().getTime() + windowMs);
    },
  };
}
