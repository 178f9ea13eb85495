/**
 * Mailchimp's `fields` and `exclude_fields` query parameters: comma-separated dotted paths
 * (`members.email_address,total_items`) that keep or drop parts of an answer; arrays are walked through.
 */
export function selectFields(body: Record<string, unknown>, query: URLSearchParams): Record<string, unknown> {
  const include = split(query.get('fields'));
  const exclude = split(query.get('exclude_fields'));
  let out: unknown = body;
  if (include.length > 0) out = keep(out, include.map((p) => p.split('.')));
  if (exclude.length > 0) out = drop(out, exclude.map((p) => p.split('.')));
  return out as Record<string, unknown>;
}

function split(v: string | null): string[] {
  return v ? v.split(',').map((s) => s.trim()).filter(Boolean) : [];
}

function keep(value: unknown, paths: string[][]): unknown {
  if (Array.isArray(value)) return value.map((v) => keep(v, paths));
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    const matching = paths.filter((p) => p[0] === key);
    if (matching.length === 0) continue;
    out[key] = matching.some((p) => p.length === 1) ? child : keep(child, matching.map((p) => p.slice(1)));
  }
  return out;
}

function drop(value: unknown, paths: string[][]): unknown {
  if (Array.isArray(value)) return value.map((v) => drop(v, paths));
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    const matching = paths.filter((p) => p[0] === key);
    if (matching.some((p) => p.length === 1)) continue;
    out[key] = matching.length > 0 ? drop(child, matching.map((p) => p.slice(1))) : child;
  }
  return out;
}
