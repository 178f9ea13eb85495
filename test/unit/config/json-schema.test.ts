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
});
