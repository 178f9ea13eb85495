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
  CONCORD_ERR_ENGINE_CONFLICT_NOT_FOUND: {
    meaning: 'The conflict id given to `concord conflicts show|resolve` does not exist in that pair.',
    action: 'Run `concord conflicts list` and copy the id of an open conflict.',
  },
  CONCORD_ERR_ENGINE_CONFLICT_NOT_OPEN: {
    meaning: 'The conflict was already resolved, by an operator or by its fallback strategy.',
    action: 'Nothing to do; `concord conflicts show <id>` tells how it was resolved.',
  },
  CONCORD_ERR_ENGINE_RESOLUTION_FAILED: {
    meaning: 'A conflict resolution could not be carried out: a record is gone, the chosen value cannot be converted, or the write failed.',
    action: 'Read the message; take the other side or give a value in the left system\'s representation, then resolve again. The conflict stays open.',
  },
  CONCORD_ERR_ENGINE_PLAN_INVALID: {
    meaning: 'The file given to `concord apply` is not a plan written by `concord plan --out`, or it is for another pair.',
    action: 'Write a fresh plan with `concord plan --pair <pair> --out plan.json` and apply that file unchanged.',
  },
  CONCORD_ERR_ENGINE_EXPLAIN_TARGET: {
    meaning: 'The value to explain is not written as <system>:<object>/<id>.<field>.',
    action: 'Write it like hubspot:contacts/123.firstname (the field starts after the first dot that follows the id).',
  },
});
