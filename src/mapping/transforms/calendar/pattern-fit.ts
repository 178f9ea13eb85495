/**
 * Whether a series' start date is itself an occurrence of its pattern. RFC 5545 (so Google) always counts the
 * start (DTSTART) as the first occurrence and counts INTERVAL periods from it; Graph starts at the first date on or
 * after `startDate` that fits the pattern and counts from there ("the first occurrence of the meeting might not
 * occur on this date if it does not fit the pattern"; every other month from 29 August 2017 begins in September:
 * https://learn.microsoft.com/en-us/graph/outlook-schedule-recurring-events). The two agree exactly when the start
 * fits the pattern, so only such series are converted.
 */
import { DateTime } from 'luxon';
import type { Converted } from '../../compiled-types.js';
import { unmapped } from '../converted.js';
import { graphDays, type GraphPattern } from './recurrence-types.js';

const position: Record<string, number> = { first: 1, second: 2, third: 3, fourth: 4, last: -1 };

/** The days of `date`'s month that fall on one of `days`, in order. */
function matchingDaysOfMonth(date: DateTime, days: readonly string[]): number[] {
  const out: number[] = [];
  for (let d = 1; d <= date.daysInMonth!; d += 1) {
    if (days.includes(graphDays[date.set({ day: d }).weekday - 1]!)) out.push(d);
  }
  return out;
}

export function startFitsPattern(startDate: string, pattern: GraphPattern): boolean {
  const date = DateTime.fromISO(startDate, { zone: 'UTC' });
  const weekday = graphDays[date.weekday - 1]!;
  switch (pattern.type) {
    case 'daily':
      return true;
    case 'weekly':
      return pattern.daysOfWeek!.includes(weekday);
    case 'absoluteMonthly':
      return date.day === pattern.dayOfMonth;
    case 'absoluteYearly':
      return date.day === pattern.dayOfMonth && date.month === pattern.month;
    case 'relativeMonthly':
    case 'relativeYearly': {
      if (pattern.type === 'relativeYearly' && date.month !== pattern.month) return false;
      const candidates = matchingDaysOfMonth(date, pattern.daysOfWeek!);
      const n = position[pattern.index ?? 'first']!;
      return (n > 0 ? candidates[n - 1] : candidates[candidates.length - 1]) === date.day;
    }
  }
}

export const startMisfit = (startDate: string): Converted =>
  unmapped(`rrule: the series starts on ${startDate}, which is not an occurrence of its rule; Google counts the start as the first occurrence and Graph does not, so the two would disagree`);

const longestMonth = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Days 29-31 of a month: RFC 5545 skips the months that lack the day, while Outlook puts the occurrence on the
 * month's last day ("the last day of every month can be represented by the value 31"; Outlook repeats 29 February
 * on 28 February in other years: https://learn.microsoft.com/en-us/previous-versions/exchange-server/exchange-10/ms528295(v=exchg.10)).
 * The two calendars would disagree, so such patterns are unmapped. Graph's own documentation is silent on this;
 * the Outlook reading is the one its recurrence engine has always had.
 */
export function shortMonthMismatch(pattern: GraphPattern): Converted | undefined {
  const day = pattern.dayOfMonth;
  if (day === undefined) return undefined;
  const shortest = pattern.type === 'absoluteMonthly' ? 28 : Math.min(longestMonth[(pattern.month ?? 1) - 1]!, pattern.month === 2 ? 28 : 31);
  if (day <= shortest) return undefined;
  return unmapped(`rrule: day ${day} of ${pattern.type === 'absoluteMonthly' ? 'the month' : `month ${pattern.month}`} is missing in some ${pattern.type === 'absoluteMonthly' ? 'months' : 'years'}; Google skips those, Outlook moves the occurrence to the month's last day`);
}
