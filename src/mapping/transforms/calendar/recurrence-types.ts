/**
 * Microsoft Graph's `patternedRecurrence` as this module writes it, and the anchor both directions need: the
 * event's start, which Google keeps in `start` (RRULE lines carry no DTSTART) and Graph keeps in
 * `range.startDate` + `range.recurrenceTimeZone`.
 * https://learn.microsoft.com/en-us/graph/api/resources/recurrencepattern,
 * https://learn.microsoft.com/en-us/graph/api/resources/recurrencerange
 */
export const graphDays = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;
export type GraphDay = (typeof graphDays)[number];
/** Graph returns and documents days in this order (sunday first); written lists follow it. */
export const graphDayOrder: readonly GraphDay[] = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
export const graphIndexes = ['first', 'second', 'third', 'fourth', 'last'] as const;
export type GraphIndex = (typeof graphIndexes)[number];
export const patternTypes = ['daily', 'weekly', 'absoluteMonthly', 'relativeMonthly', 'absoluteYearly', 'relativeYearly'] as const;
export type PatternType = (typeof patternTypes)[number];

/**
 * Only the properties each type needs (Graph rejects properties outside the allowed set): daily: interval; weekly:
 * + daysOfWeek, firstDayOfWeek; absoluteMonthly: + dayOfMonth; relativeMonthly: + daysOfWeek, index;
 * absoluteYearly: + dayOfMonth, month; relativeYearly: + daysOfWeek, month, index.
 */
export interface GraphPattern {
  type: PatternType;
  interval: number;
  daysOfWeek?: GraphDay[];
  firstDayOfWeek?: GraphDay;
  dayOfMonth?: number;
  month?: number;
  index?: GraphIndex;
}

export interface GraphRange {
  type: 'noEnd' | 'numbered' | 'endDate';
  /** The date of the event's start (Graph requires them equal); absent when the transform did not see the start. */
  startDate?: string;
  /** Inclusive: the last occurrence is on or before it, in recurrenceTimeZone. */
  endDate?: string;
  numberOfOccurrences?: number;
  /** Windows zone name; absent for all-day series and when the transform did not see the start. */
  recurrenceTimeZone?: string;
}

export interface GraphRecurrence { pattern: GraphPattern; range: GraphRange }

/** The event's start, as both directions need it. */
export interface RecurrenceAnchor {
  /** yyyy-MM-dd, the local date of the first occurrence. */
  startDate: string;
  /** IANA zone of a timed event; undefined for all-day events. */
  zone?: string;
  /** HH:mm:ss.SSS local start time of a timed event. */
  startTime?: string;
}
