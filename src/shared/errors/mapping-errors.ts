import { defineErrors } from './error.js';

/** Error codes of the mapping area. Keep the README's error table in step (a test checks it). */
export const mappingErrors = defineErrors({});
