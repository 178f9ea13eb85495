/** Paths into parsed YAML data, as zod and the mapping compiler report them. */
export type DataPath = readonly PropertyKey[];

/** `fields[2].conflict`: how messages name a place in a file. */
export function formatPath(path: DataPath): string {
  return path.reduce<string>((text, step) =>
    typeof step === 'number' ? `${text}[${step}]` : text ? `${text}.${String(step)}` : String(step), '');
}

/** The value at `path`, own properties only; undefined when absent. */
export function valueAt(data: unknown, path: DataPath): unknown {
  let current = data;
  for (const step of path) {
    if (current === null || typeof current !== 'object' || !Object.hasOwn(current, step)) return undefined;
    current = (current as Record<PropertyKey, unknown>)[step];
  }
  return current;
}
