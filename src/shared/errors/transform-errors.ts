import { defineErrors } from './error.js';

/** Error codes of the transform area. Keep the README's error table in step (a test checks it). */
export const transformErrors = defineErrors({
  CONCORD_ERR_TRANSFORM_NOT_INVERTIBLE: {
    meaning: 'A field syncs both ways but its transform does not round-trip (a map that is not one-to-one, a format that loses part of the value), so the field would flap.',
    action: 'Make the map one-to-one or use a lossless format, or make the field one-way (direction: left-to-right or right-to-left).',
  },
  CONCORD_ERR_TRANSFORM_JSONATA_TWO_WAY: {
    meaning: 'A jsonata transform is used on a field with direction both; expressions have no inverse.',
    action: 'Give the field direction left-to-right or right-to-left, or use a named transform that has an inverse.',
  },
  CONCORD_ERR_TRANSFORM_JSONATA_SYNTAX: {
    meaning: 'A JSONata expression in a transform or filter does not compile.',
    action: 'Fix the expression at the position shown; the message quotes the JSONata error and its character offset.',
  },
  CONCORD_ERR_TRANSFORM_UNAVAILABLE: {
    meaning: 'The mapping names a transform this build of Concord does not provide.',
    action: 'Use one of the transforms listed in the message, or upgrade Concord to a version that has it.',
  },
  CONCORD_ERR_TRANSFORM_BAD_OPTION: {
    meaning: 'A transform option has a value the transform cannot use (an unknown time zone, a bad region code).',
    action: 'Correct the option to one of the values the message allows.',
  },
  CONCORD_ERR_TRANSFORM_STRATEGY_MISMATCH: {
    meaning: 'A conflict strategy does not fit the field: sum-deltas needs numbers, merge-set needs lists, max and min need numbers or dates, key needs merge-set.',
    action: 'Pick a strategy that fits the values the field carries after its transform, or change the transform.',
  },
  CONCORD_ERR_TRANSFORM_FALLBACK_MISUSED: {
    meaning: 'A conflict fallback or its delay is given where it cannot apply: fallback without strategy manual, or fallback and after not given together.',
    action: 'Write conflict: { strategy: manual, fallback: <strategy>, after: <duration such as 48h> }, or drop fallback and after.',
  },
  CONCORD_ERR_TRANSFORM_BAD_PATH: {
    meaning: 'A field path is not a valid path of names, dots and [index] parts.',
    action: 'Write paths like merge_fields.FNAME, Line[0].Amount or CustomerRef.value; quote names that contain dots.',
  },
  CONCORD_ERR_TRANSFORM_DUPLICATE_TARGET: {
    meaning: 'Two fields of one mapping write the same path on the same side, so they would overwrite each other.',
    action: 'Keep one of the two fields, or point them at different paths.',
  },
  CONCORD_ERR_TRANSFORM_FILTER_FAILED: {
    meaning: 'A filter expression failed while evaluating a record, or gave something other than true or false.',
    action: 'Fix the filter so that it yields true or false for every record (for example guard missing fields with $exists); the record is held until then.',
  },
});
