import { defineErrors } from './error.js';

/** Error codes of the store area. Keep the README's error table in step (a test checks it). */
export const storeErrors = defineErrors({});
