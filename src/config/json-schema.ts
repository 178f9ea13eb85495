/**
 * JSON Schemas of the mapping format and the daemon config, generated from the zod schemas so editors
 * (YAML language server) complete and check the files. `concord schema` writes them; the copies under
 * schema/ are committed and a test fails when they drift from the zod schemas.
 */
import { z } from 'zod';
import { daemonConfigSchema } from './daemon-config-schema.js';
import { mappingSchema } from './mapping-schema.js';

export const schemaFiles = {
  'mapping.schema.json': { schema: mappingSchema, title: 'Concord mapping file (schema_version 1)' },
  'daemon-config.schema.json': { schema: daemonConfigSchema, title: 'Concord daemon config' },
} as const;

export type SchemaFileName = keyof typeof schemaFiles;

/** The text written to `schema/<name>`: stable key order and a trailing newline, so diffs stay small. */
export function renderJsonSchema(name: SchemaFileName): string {
  const { schema, title } = schemaFiles[name];
  // `input`: what an admin writes, so keys with defaults are optional.
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' });
  return `${JSON.stringify({ ...json, $id: `https://concord-sync.dev/schema/${name}`, title }, null, 2)}\n`;
}
