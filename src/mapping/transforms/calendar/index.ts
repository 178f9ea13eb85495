/**
 * The calendar transforms, as the transform registry (../registry.ts) binds them by name:
 * `rrule` (recurrence lines <-> Graph recurrence), `event_time` (event start/end with zones and all-day dates),
 * `timezone` (IANA <-> Windows zone names). Left is Google Calendar's representation, right is Microsoft Graph's.
 */
import type { CompiledTransform } from '../../compiled-types.js';
import { createEventTime } from './event-time.js';
import { createRrule } from './rrule-transform.js';
import { createTimezone } from './timezone-transform.js';

export const calendarTransforms: Record<'rrule' | 'event_time' | 'timezone', () => CompiledTransform> = {
  rrule: createRrule,
  event_time: createEventTime,
  timezone: createTimezone,
};
