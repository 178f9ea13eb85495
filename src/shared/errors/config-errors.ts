import { defineErrors } from './error.js';

/** Error codes of the config area. Keep the README's error table in step (a test checks it). */
export const configErrors = defineErrors({});
