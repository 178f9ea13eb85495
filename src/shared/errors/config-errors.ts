import { defineErrors } from './error.js';

/** Error codes of the config area. Keep the README's error table in step (a test checks it). */
export const configErrors = defineErrors({
  CONCORD_ERR_CONFIG_UNREADABLE: {
    meaning: 'The daemon config file (or a path given to concord validate) cannot be read.',
    action: 'Check the path given with -c/--config or CONCORD_CONFIG, and that the file exists and is readable by the user Concord runs as.',
  },
  CONCORD_ERR_CONFIG_YAML_SYNTAX: {
    meaning: 'The daemon config is not well-formed YAML (bad indentation, unclosed quote, duplicate key, several documents).',
    action: 'Fix the YAML at the reported line and column; a key may appear once per map and the file holds one document.',
  },
  CONCORD_ERR_CONFIG_YAML_TAG: {
    meaning: 'The daemon config uses a YAML tag (such as `!!binary` or `!custom`); only plain YAML values are read.',
    action: 'Remove the tag and write the value as a plain string, number, boolean, list or map.',
  },
  CONCORD_ERR_CONFIG_YAML_ALIASES: {
    meaning: 'The daemon config expands YAML aliases (`*name`) too many times, as an alias bomb would.',
    action: 'Write the repeated values out, or use far fewer aliases.',
  },
  CONCORD_ERR_CONFIG_FORBIDDEN_KEY: {
    meaning: 'The daemon config has a key named `__proto__`, `constructor` or `prototype`, which Concord refuses for safety.',
    action: 'Rename or remove the key.',
  },
  CONCORD_ERR_CONFIG_UNKNOWN_KEY: {
    meaning: 'The daemon config has a key Concord does not know (often a typo).',
    action: 'Use one of the allowed keys listed in the message (see the suggestion), or remove the key.',
  },
  CONCORD_ERR_CONFIG_MISSING_KEY: {
    meaning: 'A required key of the daemon config is missing.',
    action: 'Add the key named in the message at the reported place.',
  },
  CONCORD_ERR_CONFIG_INVALID_VALUE: {
    meaning: 'A value in the daemon config has the wrong type or is not one of the allowed values.',
    action: 'Change the value to what the message says is allowed.',
  },
  CONCORD_ERR_CONFIG_ENV_UNSET: {
    meaning: 'The daemon config refers to an environment variable `${VAR}` that is not set.',
    action: 'Set the variable (e.g. in /etc/concord/concord.env), give a default with `${VAR:-default}`, or use `<key>_file` with a secret file.',
  },
  CONCORD_ERR_CONFIG_SECRET_FILE: {
    meaning: 'A `<key>_file` secret file named in the daemon config cannot be read or is empty.',
    action: 'Check the path (relative paths start from the working directory) and that the file is readable and not empty.',
  },
  CONCORD_ERR_CONFIG_UNKNOWN_CONNECTOR: {
    meaning: 'An enabled system names a connector kind this build of Concord does not have.',
    action: 'Fix connector (or the system id, which is the default kind) as the suggestion says, or set `enabled: false` until the connector exists.',
  },
  CONCORD_ERR_CONFIG_INSECURE_URL: {
    meaning: 'A system base_url is not https, or a system marked emulator points somewhere other than this machine.',
    action: 'Use an https:// base_url; only a local emulator (`emulator: true`) may use http:// and it must be on 127.0.0.1, ::1 or localhost.',
  },
});
