import { expect, it } from 'vitest';
import { describeEachDialect } from '../../support/db.js';
import { processItems } from '../../../src/engine/process/process-items.js';
import { syncPair } from '../../../src/engine/sync/sync-pair.js';
import { asBatchId } from '../../../src/shared/ids.js';
import { createFixture } from './engine-fixture.js';

const contacts = {
  match: { left: 'email', right: 'email_address', normalize: 'email' },
  create: { to_right: true, to_left: false },
  // $number() of a text that is not a number is an evaluation error, not a false.
  filter: { left: '$number(score) > 3' },
  fields: [
    { left: 'email', right: 'email_address', direction: 'both', conflict: 'prefer-left' },
    { left: 'score', right: 'points', direction: 'both', conflict: 'prefer-left' },
  ],
};

describeEachDialect('a filter that cannot be evaluated', (getStore) => {
  it('holds that record as waiting on the filter, with the error, while the other records go on', async () => {
    const f = createFixture(getStore, { mapping: contacts });
    const bad = f.left.put('contacts', { email: 'bad@x.io', score: 'lots' });
    const good = f.left.put('contacts', { email: 'good@x.io', score: '7' });
    const { results } = await processItems(f.deps, [{ side: 'left', id: bad.id }, { side: 'left', id: good.id }], asBatchId('b-filter'));
    const held = results.find((r) => r.key === `left:${bad.id}`)!;
    expect(held.outcome).toBe('waiting');
    expect(held.plan.notes.join('\n')).toMatch(/waiting on the left filter: .*filter\.left of pair .* failed/);
    expect(results.find((r) => r.key === `left:${good.id}`)?.outcome).toBe('committed');
    expect(f.right.all('members').map((m) => m.fields.email_address)).toEqual(['good@x.io']);
  });

  it('a held record is listed again until the filter can be evaluated, then it is created', async () => {
    const f = createFixture(getStore, { mapping: contacts });
    const bad = f.left.put('contacts', { email: 'later@x.io', score: 'lots' });
    const first = await syncPair(f.deps);
    expect(first.problems).toEqual([expect.objectContaining({ key: `left:${bad.id}`, outcome: 'waiting' })]);
    expect(f.right.all('members')).toHaveLength(0);
    // The cursor did not move past the held record: the next run looks at it again, unchanged.
    const again = await syncPair(f.deps);
    expect(again.problems).toEqual([expect.objectContaining({ key: `left:${bad.id}`, outcome: 'waiting' })]);
    f.left.edit('contacts', bad.id, { score: '9' });
    const second = await syncPair(f.deps);
    expect(second.problems).toEqual([]);
    expect(f.right.all('members').map((m) => m.fields.email_address)).toEqual(['later@x.io']);
  });
});
