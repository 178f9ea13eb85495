/**
 * The `rrule` package ships CommonJS under its main entry, so Node's ESM loader sees only a default export; named
 * imports fail at run time even though they type-check. Everything from it goes through here.
 */
import rrulePackage from 'rrule';
import type { Options } from 'rrule';

export const { Frequency, RRule, Weekday } = rrulePackage;
export type Frequency = import('rrule').Frequency;
export type Weekday = import('rrule').Weekday;
export type { Options };
