import { cliErrors } from './cli-errors.js';
import { configErrors } from './config-errors.js';
import { connectorErrors } from './connector-errors.js';
import { engineErrors } from './engine-errors.js';
import { mappingErrors } from './mapping-errors.js';
import { runtimeErrors } from './runtime-errors.js';
import { storeErrors } from './store-errors.js';
import { transformErrors } from './transform-errors.js';
import type { ErrorDefinition } from './error.js';

export { ConcordError, isConcordError, defineErrors, type ErrorDefinition } from './error.js';

/** The one registry of error codes, assembled from one file per area. */
export const errorRegistry: Readonly<Record<string, ErrorDefinition>> = Object.freeze({
  ...configErrors,
  ...mappingErrors,
  ...storeErrors,
  ...engineErrors,
  ...runtimeErrors,
  ...connectorErrors,
  ...cliErrors,
  ...transformErrors,
});

export type ErrorCode = keyof typeof configErrors | keyof typeof mappingErrors | keyof typeof storeErrors |
  keyof typeof engineErrors | keyof typeof runtimeErrors | keyof typeof connectorErrors | keyof typeof cliErrors | keyof typeof transformErrors;
