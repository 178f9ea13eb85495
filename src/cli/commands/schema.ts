import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command } from 'commander';
import { renderJsonSchema, schemaFiles, type SchemaFileName } from '../../config/json-schema.js';

/** `concord schema [--out dir]`: writes the JSON Schemas editors use to complete mapping and config files. */
export function register(program: Command): void {
  program
    .command('schema')
    .description('write the JSON Schemas of the mapping format and the daemon config (for editor completion)')
    .option('--out <dir>', 'directory to write to', 'schema')
    .action(async (options: { out: string }) => {
      await mkdir(options.out, { recursive: true });
      for (const name of Object.keys(schemaFiles) as SchemaFileName[]) {
        const path = join(options.out, name);
        await writeFile(path, renderJsonSchema(name));
        process.stdout.write(`wrote ${path}\n`);
      }
    });
}
