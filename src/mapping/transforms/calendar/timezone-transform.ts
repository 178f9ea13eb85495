/**
 * `timezone`: an IANA zone name (Google Calendar's `timeZone`) <-> a Windows zone name (Microsoft Graph's
 * `dateTimeTimeZone.timeZone`, `recurrenceTimeZone`).
 *
 * The Windows side is canonical, because several IANA zones share one Windows zone and Windows -> IANA has to pick
 * one (CLDR's territory-001 zone). The no-flap definition holds: every Windows name toRight produces comes back
 * unchanged through toLeft and toRight, and the IANA name toLeft gives comes back unchanged through toRight and
 * toLeft. What is not kept is the first IANA name: an event in Europe/Zurich whose zone comes back from Graph reads
 * Europe/Berlin, a zone with the same rules since 1981.
 */
import type { CompiledTransform, Converted } from '../../compiled-types.js';
import { converted, describeValue, invalid, isEmpty, unmapped } from '../converted.js';
import { ianaFromGraphZone, isIanaZone, windowsZoneOf } from './windows-zones.js';

export function zoneToWindows(value: unknown): Converted {
  if (typeof value !== 'string') return invalid(`timezone: expected an IANA zone name such as Europe/Berlin, found ${describeValue(value)}`);
  const windows = windowsZoneOf(value);
  if (windows !== undefined) return converted(windows);
  if (!isIanaZone(value)) return invalid(`timezone: "${value}" is not an IANA zone name; expected names such as Europe/Berlin or America/New_York`);
  return unmapped(`timezone: the IANA zone "${value}" has no Windows zone in CLDR's windowsZones table, so Microsoft Graph has no name for it`);
}

export function zoneToIana(value: unknown): Converted {
  if (typeof value !== 'string') return invalid(`timezone: expected a Windows zone name such as "W. Europe Standard Time", found ${describeValue(value)}`);
  const iana = ianaFromGraphZone(value);
  if (iana !== undefined) return converted(iana);
  return unmapped(`timezone: "${value}" is neither a Windows zone name known to CLDR nor an IANA zone name; custom Outlook zones (tzone://Microsoft/Custom) have no IANA counterpart`);
}

export function createTimezone(): CompiledTransform {
  return {
    name: 'timezone',
    invertible: true,
    toRight: (value) => (isEmpty(value) ? converted(null) : zoneToWindows(value)),
    toLeft: (value) => (isEmpty(value) ? converted(null) : zoneToIana(value)),
  };
}
