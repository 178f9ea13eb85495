/**
 * Field paths as mapping files write them: names separated by dots, list indexes in brackets, and names that
 * contain dots or brackets quoted in brackets: `merge_fields.FNAME`, `Line[0].Amount`, `CustomerRef.value`,
 * `properties["hs.custom"]`. Reading and writing go through own properties only, and the names `__proto__`,
 * `constructor` and `prototype` are refused, so a path can never reach or replace an object's prototype.
 */
export type PathSegment = string | number;

export type ParsedPath =
  | { ok: true; segments: readonly PathSegment[] }
  | { ok: false; message: string };

const forbiddenNames = new Set(['__proto__', 'constructor', 'prototype']);
const nameChar = /[^.[\]"]/;
const cache = new Map<string, ParsedPath>();

export function parsePath(path: string): ParsedPath {
  let parsed = cache.get(path);
  if (!parsed) {
    parsed = parseUncached(path);
    cache.set(path, parsed);
  }
  return parsed;
}

function parseUncached(path: string): ParsedPath {
  const segments: PathSegment[] = [];
  let i = 0;
  const fail = (what: string): ParsedPath => ({
    ok: false,
    message: `path "${path}": ${what} at character ${i + 1}; expected names separated by dots with [index] or ["quoted name"] parts, such as Line[0].Amount`,
  });
  if (path.length === 0) return fail('the path is empty');
  let expectName = true;
  while (i < path.length) {
    const c = path[i]!;
    if (c === '[') {
      const close = path.indexOf(']', i);
      if (close < 0) return fail('an unclosed [');
      const inner = path.slice(i + 1, close);
      if (/^(0|[1-9]\d*)$/.test(inner)) {
        segments.push(Number(inner));
      } else if (/^"[^"]+"$/.test(inner)) {
        segments.push(inner.slice(1, -1));
      } else {
        return fail(`"[${inner}]" is neither an index nor a quoted name`);
      }
      i = close + 1;
      expectName = false;
    } else if (c === '.') {
      if (expectName) return fail('an empty name');
      i += 1;
      expectName = true;
      if (i === path.length) return fail('a trailing dot');
    } else {
      if (!expectName) return fail(`"${c}" after an index (a dot is missing)`);
      let j = i;
      while (j < path.length && nameChar.test(path[j]!)) j += 1;
      if (j === i) return fail(`an unexpected "${c}"`);
      segments.push(path.slice(i, j));
      i = j;
      expectName = false;
    }
  }
  const bad = segments.find((s) => typeof s === 'string' && forbiddenNames.has(s));
  if (bad !== undefined) {
    return { ok: false, message: `path "${path}": the name "${bad}" is not allowed, because it would reach an object's prototype` };
  }
  return { ok: true, segments };
}

function segmentsOf(path: string | readonly PathSegment[]): readonly PathSegment[] {
  if (typeof path !== 'string') {
    const bad = path.find((s) => typeof s === 'string' && forbiddenNames.has(s));
    if (bad !== undefined) throw new Error(`path segment "${bad}" is not allowed, because it would reach an object's prototype`);
    return path;
  }
  const parsed = parsePath(path);
  // Paths are checked when a mapping is compiled; reaching here with a bad one is a bug in the caller.
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.segments;
}

function isContainer(value: unknown): value is Record<string, unknown> | unknown[] {
  return typeof value === 'object' && value !== null;
}

/** The value at `path`, or undefined where any step is missing or not an object or list. */
export function getPath(record: unknown, path: string | readonly PathSegment[]): unknown {
  let current: unknown = record;
  for (const segment of segmentsOf(path)) {
    if (typeof segment === 'number') {
      if (!Array.isArray(current) || segment >= current.length) return undefined;
      current = current[segment];
    } else {
      if (!isContainer(current) || Array.isArray(current) || !Object.hasOwn(current, segment)) return undefined;
      current = (current as Record<string, unknown>)[segment];
    }
  }
  return current;
}

/**
 * Writes `value` at `path` in `record`, creating objects and lists on the way (a list where the next part is an
 * index). A step that holds something else (a text where an object is needed) is replaced, because the mapping
 * says what shape the target has. Returns the record.
 */
export function setPath<T extends Record<string, unknown>>(record: T, path: string | readonly PathSegment[], value: unknown): T {
  const segments = segmentsOf(path);
  if (segments.length === 0) return record;
  let current: Record<string, unknown> | unknown[] = record;
  for (let k = 0; k < segments.length; k += 1) {
    const segment = segments[k]!;
    const last = k === segments.length - 1;
    const next = segments[k + 1];
    if (typeof segment === 'number') {
      if (!Array.isArray(current)) throw new Error(`setPath: index [${segment}] applied to a non-list`);
      while (current.length < segment) current.push(null);
      if (last) {
        current[segment] = value;
      } else {
        let child = current[segment];
        if (!isContainer(child) || Array.isArray(child) !== (typeof next === 'number')) {
          child = typeof next === 'number' ? [] : {};
          current[segment] = child;
        }
        current = child as Record<string, unknown> | unknown[];
      }
    } else {
      if (Array.isArray(current)) throw new Error(`setPath: name "${segment}" applied to a list`);
      if (last) {
        defineOwn(current, segment, value);
      } else {
        let child = Object.hasOwn(current, segment) ? current[segment] : undefined;
        if (!isContainer(child) || Array.isArray(child) !== (typeof next === 'number')) {
          child = typeof next === 'number' ? [] : {};
          defineOwn(current, segment, child);
        }
        current = child as Record<string, unknown> | unknown[];
      }
    }
  }
  return record;
}

/** Plain assignment would call a setter inherited from the prototype; defining the property never does. */
function defineOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
}
