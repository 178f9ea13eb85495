import type { Command } from 'commander';

/** One line per command module; each exports `register(program)`. */
export const commandModules: Array<() => Promise<{ register(program: Command): void }>> = [
  () => import('./validate.js'),
  () => import('./schema.js'),
  () => import('./db.js'),
  () => import('./emulate.js'),
  () => import('./sync.js'),
  () => import('./plan.js'),
  () => import('./apply.js'),
  () => import('./rollback.js'),
  () => import('./conflicts.js'),
  () => import('./audit.js'),
  () => import('./explain.js'),
  () => import('./run.js'),
  () => import('./demo.js'),
  () => import('./status.js'),
  () => import('./dlq.js'),
  () => import('./approve.js'),
];
