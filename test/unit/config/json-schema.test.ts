import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderJsonSchema, schemaFiles, type SchemaFileName } from '../../../src/config/json-schema.js';

describe('committed JSON Schemas', () => {
  for (const name of Object.keys(schemaFiles) as SchemaFileName[]) {
    it(`schema/${name} matches the zod schema (run \`concord schema\` after changing it)`, () => {
      expect(readFileSync(`schema/${name}`, 'utf8')).toBe(renderJsonSchema(name));
    });
  }

  it('lets editors offer the enum values and refuse unknown keys', () => {
    const mapping = JSON.parse(readFileSync('schema/mapping.schema.json', 'utf8'));
    const field = mapping.properties.fields.items;
    expect(field.properties.direction.enum).toEqual(['both', 'left-to-right', 'right-to-left']);
    expect(field.additionalProperties).toBe(false);
    expect(mapping.required).toEqual(['schema_version', 'pair', 'left', 'right', 'match', 'fields']);
  });

  it('accepts ${VAR:-default} for typed values of the daemon config, as the shipped config writes them', () => {
    const config = JSON.parse(readFileSync('schema/daemon-config.schema.json', 'utf8'));
    const port = config.properties.http.properties.port;
    expect(port.anyOf[0]).toEqual({ type: 'integer', minimum: 0, maximum: 65535 });
    expect(new RegExp(port.anyOf[1].pattern).test('${CONCORD_HTTP_PORT:-8787}')).toBe(true);
    expect(new RegExp(port.anyOf[1].pattern).test('8787x')).toBe(false);
    expect(config.properties.systems.propertyNames).toEqual({ type: 'string', pattern: '^[a-z][a-z0-9]*$' });
  });
});
