import { describe, expect, it } from 'vitest';
import { formatProblem } from '../../../src/config/problems.js';
import { checkWorkspace, loadWorkspace } from '../../../src/config/workspace.js';

describe('checkWorkspace', () => {
  it('checks an edited copy in place of the installed file of the same name (no duplicate pair)', async () => {
    const result = await checkWorkspace({
      configPath: 'config/concord.yaml', env: {}, paths: ['test/fixtures/mappings/edited/hubspot-mailchimp.contacts.yaml'],
    });
    expect(result.problems.map(formatProblem)).toEqual([]);
    expect(result.checkedMappings.map((m) => m.file)).toEqual(['test/fixtures/mappings/edited/hubspot-mailchimp.contacts.yaml']);
  });

  it('accepts two pairs writing one field when exactly one of them is its owner', async () => {
    const result = await checkWorkspace({
      configPath: 'test/fixtures/config/malformed-mapping-context.yaml', env: {}, paths: ['test/fixtures/mappings/valid/one-owner'],
    });
    expect(result.problems.map(formatProblem)).toEqual([]);
  });

  it('reports a path that does not exist', async () => {
    const result = await checkWorkspace({
      configPath: 'test/fixtures/config/malformed-mapping-context.yaml', env: {}, paths: ['test/fixtures/mappings/nowhere'],
    });
    expect(result.problems.map(formatProblem)).toEqual([
      'test/fixtures/mappings/nowhere:1:1  CONCORD_ERR_MAPPING_UNREADABLE  cannot read "test/fixtures/mappings/nowhere" (no such file or directory): expected a mapping file or a directory of them',
    ]);
  });
});

describe('loadWorkspace', () => {
  it('refuses to start with every problem of the config and the mappings', async () => {
    const result = await loadWorkspace('test/fixtures/config/http-without-emulator.yaml', {});
    expect(result.ok ? [] : result.problems.map((p) => p.code)).toEqual(['CONCORD_ERR_CONFIG_INSECURE_URL']);
  });

  it('gives the compiled mappings of the config with params read from the environment', async () => {
    const result = await loadWorkspace('test/fixtures/config/malformed-mapping-context.yaml', {});
    expect(result.ok && result.mappings).toEqual([]);
  });
});
