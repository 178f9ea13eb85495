import { defineErrors } from './error.js';

/** Error codes of the runtime area. Keep the README's error table in step (a test checks it). */
export const runtimeErrors = defineErrors({});
