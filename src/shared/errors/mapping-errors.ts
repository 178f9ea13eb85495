import { defineErrors } from './error.js';

/** Error codes of the mapping area. Keep the README's error table in step (a test checks it). */
export const mappingErrors = defineErrors({
  CONCORD_ERR_MAPPING_UNREADABLE: {
    meaning: 'A mapping file or the mappings directory cannot be read.',
    action: 'Check the path (the config key mappings, or the paths given to concord validate) and its permissions.',
  },
  CONCORD_ERR_MAPPING_YAML_SYNTAX: {
    meaning: 'A mapping file is not well-formed YAML (bad indentation, unclosed quote, duplicate key, several documents).',
    action: 'Fix the YAML at the reported line and column; a key may appear once per map and a file holds one document.',
  },
  CONCORD_ERR_MAPPING_YAML_TAG: {
    meaning: 'A mapping file uses a YAML tag (such as `!!binary` or `!custom`); only plain YAML values are read.',
    action: 'Remove the tag and write the value as a plain string, number, boolean, list or map.',
  },
  CONCORD_ERR_MAPPING_YAML_ALIASES: {
    meaning: 'A mapping file expands YAML aliases (`*name`) too many times, as an alias bomb would.',
    action: 'Write the repeated values out, or use far fewer aliases.',
  },
  CONCORD_ERR_MAPPING_FORBIDDEN_KEY: {
    meaning: 'A mapping file has a key named `__proto__`, `constructor` or `prototype`, which Concord refuses for safety.',
    action: 'Rename or remove the key.',
  },
  CONCORD_ERR_MAPPING_UNKNOWN_KEY: {
    meaning: 'A mapping file has a key the mapping format does not know (often a typo).',
    action: 'Use one of the allowed keys listed in the message (see the suggestion), or remove the key.',
  },
  CONCORD_ERR_MAPPING_MISSING_KEY: {
    meaning: 'A required key of a mapping file is missing.',
    action: 'Add the key named in the message at the reported place.',
  },
  CONCORD_ERR_MAPPING_INVALID_VALUE: {
    meaning: 'A value in a mapping file has the wrong type or is not one of the allowed values.',
    action: 'Change the value to what the message says is allowed.',
  },
  CONCORD_ERR_MAPPING_ENV_UNSET: {
    meaning: 'A mapping file params value refers to an environment variable `${VAR}` that is not set.',
    action: 'Set the variable, or give a default with `${VAR:-default}`.',
  },
  CONCORD_ERR_MAPPING_INTERPOLATION_PLACE: {
    meaning: 'A mapping file uses `${...}` outside `left.params` or `right.params`, where it is not interpolated.',
    action: 'Write the value literally; environment variables are read only in params values.',
  },
  CONCORD_ERR_MAPPING_FILE_NAME: {
    meaning: 'A mapping file name does not agree with its content; files are named `<left system>-<right system>.<object>.yaml`.',
    action: 'Rename the file as the message says, or correct left.system / right.system.',
  },
  CONCORD_ERR_MAPPING_UNKNOWN_SYSTEM: {
    meaning: 'A mapping file names a system that the daemon config does not define.',
    action: 'Add the system under systems in the daemon config (`enabled: false` keeps it off), or fix the name (see the suggestion).',
  },
  CONCORD_ERR_MAPPING_DUPLICATE_PAIR: {
    meaning: 'Two mapping files declare the same pair name.',
    action: 'Give each pair a unique name; links, audit and rollback are keyed by it.',
  },
  CONCORD_ERR_MAPPING_CONFLICTING_WRITERS: {
    meaning: 'Two pairs write the same field of the same system object, so they would overwrite each other.',
    action: 'Make one pair read-only for that field (direction), or mark exactly one of the two fields `owner: true`.',
  },
  CONCORD_ERR_MAPPING_UNKNOWN_LOOKUP: {
    meaning: 'A lookup transform names a pair that no mapping file declares.',
    action: 'Use the pair name of an existing mapping file (see the suggestion), or add that mapping.',
  },
  CONCORD_ERR_MAPPING_BAD_CRON: {
    meaning: 'A poll or reconcile schedule is not a valid cron expression.',
    action: 'Write five or six cron fields (second? minute hour day-of-month month day-of-week), e.g. `*/5 * * * *`.',
  },
  CONCORD_ERR_MAPPING_BAD_JSONATA: {
    meaning: 'A filter or jsonata transform is not a valid JSONata expression.',
    action: 'Fix the expression at the reported place; try it at https://try.jsonata.org.',
  },
  CONCORD_ERR_MAPPING_JSONATA_TWO_WAY: {
    meaning: 'A jsonata transform is used on a field that syncs both ways; an expression cannot be inverted.',
    action: 'Set direction to left-to-right or right-to-left for that field, or use an invertible transform such as map.',
  },
});
