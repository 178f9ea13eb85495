import { describe, expect, it } from 'vitest';
import { createDate } from '../../../../src/mapping/transforms/date.js';
import { noLinks } from './context.js';

describe('date', () => {
  it('writes ISO 8601 in the target zone and reads it back in the source zone', async () => {
    const t = createDate({ format: 'iso', zone: 'UTC', to_zone: 'Europe/Moscow' });
    expect(await t.toRight('2024-03-01T06:30:00Z', noLinks)).toEqual({ ok: true, value: '2024-03-01T09:30:00.000+03:00' });
    expect(await t.toLeft('2024-03-01T09:30:00.000+03:00', noLinks)).toEqual({ ok: true, value: '2024-03-01T06:30:00.000Z' });
  });

  it('reads HubSpot-style epoch milliseconds text on the left', async () => {
    const t = createDate({ format: 'epoch_ms' });
    expect(await t.toRight('1709274600000', noLinks)).toEqual({ ok: true, value: 1709274600000 });
    expect(await t.toLeft(1709274600000, noLinks)).toEqual({ ok: true, value: '2024-03-01T06:30:00.000Z' });
  });

  it('reads text without an offset in the configured zone', async () => {
    const t = createDate({ format: 'epoch_s', zone: 'America/New_York' });
    expect(await t.toRight('2024-01-15T12:00:00', noLinks)).toEqual({ ok: true, value: 1705338000 });
  });

  it('gives the calendar day in the target zone for format date', async () => {
    const t = createDate({ format: 'date', to_zone: 'Asia/Tokyo' });
    expect(await t.toRight('2024-03-01T20:00:00Z', noLinks)).toEqual({ ok: true, value: '2024-03-02' });
    expect(await t.toLeft('2024-03-02', noLinks)).toEqual({ ok: true, value: '2024-03-02' });
  });

  it('writes instants whose local offset had seconds (Moscow, 1919) in UTC, so the instant survives', async () => {
    const t = createDate({ format: 'iso', to_zone: 'Europe/Moscow' });
    expect(await t.toRight('1919-06-30T23:59:59Z', noLinks)).toEqual({ ok: true, value: '1919-06-30T23:59:59.000Z' });
  });

  it('declares the lossy formats not invertible and says what they lose', () => {
    expect(createDate({ format: 'iso' }).invertible).toBe(true);
    expect(createDate({ format: 'epoch_ms' }).invertible).toBe(true);
    expect(createDate({ format: 'date' }).notInvertibleBecause).toBe('format date keeps only the calendar day, so the time of day of the left value is lost');
    expect(createDate({ format: 'epoch_s' }).notInvertibleBecause).toBe('format epoch_s keeps whole seconds, so the milliseconds of the left value are lost');
  });

  it('refuses values that are not dates', async () => {
    expect(await createDate().toRight('next tuesday', noLinks)).toMatchObject({ ok: false, kind: 'invalid' });
    expect(await createDate({ format: 'date' }).toLeft('2024-03-01T00:00:00Z', noLinks)).toMatchObject({ ok: false, kind: 'invalid' });
  });
});
