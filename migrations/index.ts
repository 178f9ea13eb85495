import type { Migration } from 'kysely';
import * as m0001 from './0001-links-and-shadows.js';
import * as m0002 from './0002-intake.js';
import * as m0003 from './0003-journal-and-batches.js';
import * as m0004 from './0004-audit.js';
import * as m0005 from './0005-operator-queues.js';
import * as m0006 from './0006-control.js';

/**
 * Every migration, imported statically so that they travel with `dist/` and need no folder scan.
 * Names sort in the order they run; a new migration gets the next number and one line here.
 */
export const migrations: Readonly<Record<string, Migration>> = {
  '0001-links-and-shadows': m0001,
  '0002-intake': m0002,
  '0003-journal-and-batches': m0003,
  '0004-audit': m0004,
  '0005-operator-queues': m0005,
  '0006-control': m0006,
};
