/**
 * The webhook dead-man's switch (DESIGN §8): polls of a system that sends webhooks should find only
 * changes a webhook already announced. Changes found without an announcement add up; past the
 * threshold the switch trips (alert metric, shorter poll interval). A poll whose changes were all
 * announced shows webhooks work again and resets it. A poll that found nothing says nothing either way.
 */
export interface DeadMansSwitchOptions {
  /** Unannounced changes, summed over polls since webhooks last proved working, that trip the switch. Default is 5. */
  threshold?: number;
}

export type SwitchChange = 'tripped' | 'reset' | 'none';

export interface DeadMansSwitch {
  /** Takes one poll's counts; says whether the switch changed state. */
  record(changes: number, unannounced: number): SwitchChange;
  readonly tripped: boolean;
  /** Unannounced changes counted since webhooks last proved working. */
  readonly unannounced: number;
}

export function createDeadMansSwitch(options: DeadMansSwitchOptions = {}): DeadMansSwitch {
  const threshold = options.threshold ?? 5;
  let count = 0;
  let tripped = false;
  return {
    record(changes, unannounced) {
      if (unannounced > 0) {
        count += unannounced;
        if (!tripped && count >= threshold) {
          tripped = true;
          return 'tripped';
        }
        return 'none';
      }
      if (changes > 0) {
        count = 0;
        if (tripped) {
          tripped = false;
          return 'reset';
        }
      }
      return 'none';
    },
    get tripped() { return tripped; },
    get unannounced() { return count; },
  };
}
