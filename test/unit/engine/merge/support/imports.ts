/** The modules under test, imported once for the test files. */
export { merge, finalizeBase } from '../../../../../src/engine/merge/index.js';
export { isConcordError } from '../../../../../src/shared/errors/index.js';
