/**
 * Where the calendar transforms (`rrule`, `event_time`, `timezone`, written in ./calendar/) plug into the
 * registry. Until that folder exists the three names report "not available".
 */
import type { CompiledTransform } from '../compiled-types.js';

export const calendarTransforms: Partial<Record<'rrule' | 'event_time' | 'timezone', () => CompiledTransform>> | undefined = undefined;
