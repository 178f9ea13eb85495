import type { transformErrors } from '../shared/errors/transform-errors.js';

/**
 * One thing wrong with a mapping, found while compiling it. `path` points into the mapping document
 * (`['fields', 2, 'transform', 'map']`) so that the loader can report the file, line and column of that node.
 */
export interface MappingProblem {
  path: (string | number)[];
  code: keyof typeof transformErrors;
  message: string;
}
