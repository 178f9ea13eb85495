/**
 * IANA <-> Windows zone names: the CLDR pairs PROVIDERS.md lists (territory 001), the renamed IANA zones, and the
 * no-flap property over every Windows zone CLDR knows and every IANA zone this runtime knows.
 */
import { describe, expect, it } from 'vitest';
import { WINDOWS_TO_IANA_MAP } from 'windows-iana';
import { createTimezone } from '../../../../src/mapping/transforms/calendar/timezone-transform.js';
import { noLinks, sync } from './sync-result.js';

const tz = createTimezone();
const right = (v: unknown) => sync(tz.toRight(v, noLinks));
const left = (v: unknown) => sync(tz.toLeft(v, noLinks));

describe('timezone', () => {
  it('maps the CLDR pairs listed for Graph both ways', () => {
    const pairs: Array<[string, string]> = [
      ['Pacific Standard Time', 'America/Los_Angeles'], ['Eastern Standard Time', 'America/New_York'],
      ['W. Europe Standard Time', 'Europe/Berlin'], ['Romance Standard Time', 'Europe/Paris'],
      ['Russian Standard Time', 'Europe/Moscow'], ['Russia Time Zone 3', 'Europe/Samara'],
      ['Kaliningrad Standard Time', 'Europe/Kaliningrad'], ['Turkey Standard Time', 'Europe/Istanbul'],
      ['Dateline Standard Time', 'Etc/GMT+12'], ['UTC', 'UTC'],
    ];
    for (const [windows, iana] of pairs) {
      expect(right(iana), iana).toEqual({ ok: true, value: windows });
      expect(left(windows), windows).toEqual({ ok: true, value: iana });
    }
  });

  it('gives the current IANA names where CLDR still lists the old ones, and reads both', () => {
    expect(left('FLE Standard Time')).toEqual({ ok: true, value: 'Europe/Kyiv' });
    expect(left('India Standard Time')).toEqual({ ok: true, value: 'Asia/Kolkata' });
    expect(right('Europe/Kyiv')).toEqual({ ok: true, value: 'FLE Standard Time' });
    expect(right('Europe/Kiev')).toEqual({ ok: true, value: 'FLE Standard Time' });
    expect(right('America/Argentina/Buenos_Aires')).toEqual({ ok: true, value: 'Argentina Standard Time' });
  });

  it('several IANA zones share a Windows zone: the Windows name is kept, the IANA name settles on CLDR\'s 001 zone', () => {
    expect(right('Europe/Zurich')).toEqual({ ok: true, value: 'W. Europe Standard Time' });
    expect(left('W. Europe Standard Time')).toEqual({ ok: true, value: 'Europe/Berlin' });
  });

  it('reads Graph\'s UTC spelling and the IANA names Graph also accepts; refuses custom zones and non-zones', () => {
    expect(left('tzone://Microsoft/Utc')).toEqual({ ok: true, value: 'UTC' });
    expect(left('America/Chicago')).toEqual({ ok: true, value: 'America/Chicago' });
    expect(left('tzone://Microsoft/Custom')).toMatchObject({ ok: false, kind: 'unmapped' });
    expect(right('Mars/Olympus_Mons')).toMatchObject({ ok: false, kind: 'invalid' });
    expect(right(42)).toMatchObject({ ok: false, kind: 'invalid' });
    expect(right(null)).toEqual({ ok: true, value: null });
  });

  it('every Windows zone in CLDR comes back unchanged (toRight(toLeft(y)) = y)', () => {
    const names = [...new Set(WINDOWS_TO_IANA_MAP.map((e) => e.windowsName))];
    expect(names.length).toBeGreaterThan(130);
    for (const y of names) {
      const x = left(y);
      expect(x, y).toMatchObject({ ok: true });
      if (!x.ok) continue;
      expect(right(x.value), `${y} -> ${String(x.value)}`).toEqual({ ok: true, value: y });
    }
  });

  it('every IANA zone with a Windows name settles after one crossing', () => {
    let mapped = 0;
    for (const zone of Intl.supportedValuesOf('timeZone')) {
      const y = right(zone);
      if (!y.ok) continue;
      mapped += 1;
      const x = left(y.value);
      expect(x, zone).toMatchObject({ ok: true });
      if (!x.ok) continue;
      const again = right(x.value);
      expect(again, zone).toEqual(y);
      if (again.ok) expect(left(again.value), zone).toEqual(x);
    }
    expect(mapped).toBeGreaterThan(300);
  });
});
