import type { Command } from 'commander';

/** One line per command module; each exports `register(program)`. */
export const commandModules: Array<() => Promise<{ register(program: Command): void }>> = [
  () => import('./validate.js'),
  () => import('./schema.js'),
  () => import('./db.js'),
  () => import('./emulate.js'),
];
