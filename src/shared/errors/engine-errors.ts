import { defineErrors } from './error.js';

/** Error codes of the engine area. Keep the README's error table in step (a test checks it). */
export const engineErrors = defineErrors({});
