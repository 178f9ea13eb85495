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
    meaning: 'The conflict id given to `concord conflicts show` or `resolve` does not exist in that pair.',
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
  CONCORD_ERR_ENGINE_UNKNOWN_PAIR: {
    meaning: 'A command named a pair that no mapping file declares.',
    action: 'Use one of the pair names listed in the message (the `pair:` key of a file in the mappings directory).',
  },
  CONCORD_ERR_ENGINE_WORKSPACE_INVALID: {
    meaning: 'The daemon config or a mapping file has errors, so the engine cannot start.',
    action: 'Run `concord validate` and fix every error it lists (each with file:line:col).',
  },
  CONCORD_ERR_ENGINE_SYSTEM_UNAVAILABLE: {
    meaning: 'A pair uses a system that the daemon config does not define or has disabled.',
    action: 'Add the system under `systems:` in the config with its connector, base_url and credentials, or set `enabled: true`.',
  },
  CONCORD_ERR_ENGINE_SYNC_NEEDS_ONCE: {
    meaning: '`concord sync` was run without --once; continuous syncing is the daemon\'s job.',
    action: 'Add --once for one run to quiescence, or start the daemon with `concord run`.',
  },
  CONCORD_ERR_ENGINE_ROLLBACK_SELECTION: {
    meaning: '`concord rollback` was not told exactly what to undo, or the batch, link or time given does not exist or cannot be read.',
    action: 'Give exactly one of --batch ID, --since TIME (ISO-8601, optionally with --until and --pair) or --link ID; the audit report lists batch ids.',
  },
  CONCORD_ERR_ENGINE_REPORT_OPTION: {
    meaning: 'An option of `concord audit report` has a value it does not accept (format or time).',
    action: 'Use --format table|csv|json|html and ISO-8601 times such as 2026-03-01T09:00:00Z for --since and --until.',
  },
});
