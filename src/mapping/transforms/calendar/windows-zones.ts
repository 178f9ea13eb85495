/**
 * IANA <-> Windows time-zone names, from Unicode CLDR's windowsZones.xml as the `windows-iana` package ships it.
 * The Windows side is canonical: several IANA zones share one Windows zone (Europe/Zurich, Europe/Berlin and 16
 * more are all "W. Europe Standard Time"), so Windows -> IANA picks CLDR's territory "001" zone, the one CLDR names
 * as the zone's representative. Going IANA -> Windows -> IANA therefore moves Europe/Zurich to Europe/Berlin, while
 * Windows -> IANA -> Windows always comes back unchanged.
 * See https://github.com/unicode-org/cldr/blob/main/common/supplemental/windowsZones.xml
 */
import { DateTime } from 'luxon';
import { findIana, findWindows } from 'windows-iana';

/**
 * CLDR's territory-001 zones still use names IANA has since renamed (Europe/Kiev became Europe/Kyiv in 2022);
 * Google Calendar reports the current names, so Windows -> IANA gives those. Only the renamed 001 entries.
 */
const renamed: Readonly<Record<string, string>> = {
  'America/Indianapolis': 'America/Indiana/Indianapolis',
  'America/Buenos_Aires': 'America/Argentina/Buenos_Aires',
  'America/Godthab': 'America/Nuuk',
  'Europe/Kiev': 'Europe/Kyiv',
  'Asia/Calcutta': 'Asia/Kolkata',
  'Asia/Katmandu': 'Asia/Kathmandu',
  'Asia/Rangoon': 'Asia/Yangon',
};
const formerName = new Map(Object.entries(renamed).map(([old, current]) => [current, old]));

/**
 * Graph's own spellings of UTC: `tzone://Microsoft/Utc` appears in `originalStartTimeZone` of events made by
 * Outlook clients (https://learn.microsoft.com/en-us/graph/api/resources/event).
 */
const graphUtcNames = new Set(['tzone://Microsoft/Utc', 'UTC', 'Etc/UTC', 'Etc/GMT', 'GMT', 'Z']);

export function isIanaZone(name: string): boolean {
  return name.includes('/') && !name.startsWith('tzone://') ? DateTime.local({ zone: name }).isValid : name === 'UTC';
}

/** The Windows name for an IANA zone, or undefined when CLDR maps it to none. */
export function windowsZoneOf(iana: string): string | undefined {
  if (graphUtcNames.has(iana)) return 'UTC';
  const direct = findWindows(iana)[0] ?? findWindows(formerName.get(iana) ?? iana)[0];
  return direct;
}

/** The representative (territory 001) IANA zone of a Windows zone, in its current name; undefined when unknown. */
export function ianaZoneOf(windows: string): string | undefined {
  if (graphUtcNames.has(windows)) return 'UTC';
  const first = findIana(windows, '001')[0];
  if (first === undefined) return undefined;
  return renamed[first] ?? first;
}

/**
 * Reads a zone as Graph gives it (`dateTimeTimeZone.timeZone`, `recurrenceTimeZone`): a Windows name, one of the
 * IANA names Graph also accepts, or a UTC spelling. Gives the IANA zone, or undefined when it is none of these
 * (for example `tzone://Microsoft/Custom`, a custom zone of Outlook desktop with no name to map).
 */
export function ianaFromGraphZone(name: string): string | undefined {
  const fromWindows = ianaZoneOf(name);
  if (fromWindows !== undefined) return fromWindows;
  if (isIanaZone(name)) return renamed[name] ?? name;
  return undefined;
}
