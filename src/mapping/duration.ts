/** Durations as mapping files write them: a whole number and a unit, `500ms`, `30s`, `15m`, `48h`, `7d`. */
const unitMs = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

export type ParsedDuration = { ok: true; ms: number } | { ok: false; message: string };

export function parseDuration(text: string): ParsedDuration {
  const m = /^(\d+)(ms|s|m|h|d)$/.exec(text);
  if (!m) {
    return { ok: false, message: `"${text}" is not a duration; write a whole number and one of the units ms, s, m, h, d, such as 48h` };
  }
  const ms = Number(m[1]) * unitMs[m[2] as keyof typeof unitMs];
  if (!Number.isSafeInteger(ms)) return { ok: false, message: `"${text}" is too long a duration` };
  return { ok: true, ms };
}
