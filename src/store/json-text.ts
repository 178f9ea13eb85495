/**
 * Values are stored as JSON text so SQLite and Postgres hold the same thing. `undefined` (the field was
 * absent) is SQL NULL; `null` is the text 'null': the two stay apart.
 */
export function toJsonText(value: unknown): string | null {
  return value === undefined ? null : JSON.stringify(value);
}

export function fromJsonText(text: string | null): unknown {
  return text === null ? undefined : (JSON.parse(text) as unknown);
}
