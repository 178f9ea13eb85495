import { defineErrors } from './error.js';

/** Error codes of the engine area. Keep the README's error table in step (a test checks it). */
export const engineErrors = defineErrors({
  CONCORD_ERR_ENGINE_MERGE_INPUT_INVALID: {
    meaning: 'The engine handed the merge two entries for one field id, so it could not tell which values belong together.',
    action: 'This is a bug in Concord, not in your mapping: report it with the mapping file and the pair name.',
  },
  CONCORD_ERR_ENGINE_MERGE_BASE_INCOMPLETE: {
    meaning: 'After a write, the engine tried to store a new base without the value it wrote for a field on the right side.',
    action: 'This is a bug in Concord: report it with the log lines around it; the record is merged again on its next change.',
  },
  CONCORD_ERR_ENGINE_LINK_TAKEN: {
    meaning: 'A record was about to be linked, but it or its counterpart is already linked to another record of the same pair.',
    action: 'Run `concord plan --pair <pair>` to see both links; unlink the wrong one or fix the duplicate match key, then sync again.',
  },
});
