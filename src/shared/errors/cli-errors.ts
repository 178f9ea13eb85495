import { defineErrors } from './error.js';

/** Error codes of the cli area. Keep the README's error table in step (a test checks it). */
export const cliErrors = defineErrors({});
