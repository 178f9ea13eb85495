/**
 * JSON Schemas of the mapping format and the daemon config, generated from the zod schemas so editors
 * (YAML language server) complete and check the files. `concord schema` writes them; the copies under
 * schema/ are committed and a test fails when they drift from the zod schemas.
 */
import { z } from 'zod';
import { daemonConfigSchema } from './daemon-config-schema.js';
import { mappingSchema } from './mapping-schema.js';

export const schemaFiles = {
  'mapping.schema.json': { schema: mappingSchema, title: 'Concord mapping file (schema_version 1)', interpolated: false },
  'daemon-config.schema.json': { schema: daemonConfigSchema, title: 'Concord daemon config', interpolated: true },
} as const;

type JsonSchemaNode = Record<string, unknown>;

/** A value written as `${VAR}` or `${VAR:-default}`, read from the environment at load time. */
const interpolation = { type: 'string', pattern: '\\$\\{[A-Za-z_][A-Za-z0-9_]*(:-[^}]*)?\\}' };

/**
 * In the daemon config any value may be `${VAR:-default}` (port, emulator, log level, URLs), which the
 * editor would otherwise flag as the wrong type: every constrained leaf also accepts a reference (keys
 * are never interpolated, so propertyNames stay as they are).
 */
function allowInterpolation(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(allowInterpolation);
  if (node === null || typeof node !== 'object') return node;
  const schema = node as JsonSchemaNode;
  const out: JsonSchemaNode = {};
  for (const [key, value] of Object.entries(schema)) {
    out[key] = key === 'default' || key === 'enum' || key === 'propertyNames' ? value : allowInterpolation(value);
  }
  const isLeaf = typeof schema.type === 'string' && schema.type !== 'object' && schema.type !== 'array';
  const isFreeString = schema.type === 'string' && Object.keys(schema).every((k) => ['type', 'description', 'default', 'minLength'].includes(k));
  if (!isLeaf || isFreeString) return out;
  const { description, default: fallback, ...constraint } = out;
  return { ...(description === undefined ? {} : { description }), ...(fallback === undefined ? {} : { default: fallback }), anyOf: [constraint, interpolation] };
}

export type SchemaFileName = keyof typeof schemaFiles;

/** The text written to `schema/<name>`: stable key order and a trailing newline, so diffs stay small. */
export function renderJsonSchema(name: SchemaFileName): string {
  const { schema, title, interpolated } = schemaFiles[name];
  // `input`: what an admin writes, so keys with defaults are optional.
  const generated = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' });
  const json = interpolated ? allowInterpolation(generated) as JsonSchemaNode : generated;
  return `${JSON.stringify({ ...json, $id: `https://concord-sync.dev/schema/${name}`, title }, null, 2)}\n`;
}
