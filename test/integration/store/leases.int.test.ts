import { expect, it } from 'vitest';
import { acquireLease, heartbeatLease, LEASE_DURATION_MS, releaseLease } from '../../../src/store/index.js';
import { createManualClock } from '../../../src/shared/clock.js';
import { describeEachDialect } from '../../support/db.js';

describeEachDialect('leases', (getStore) => {
  it('one holder at a time; an expired lease passes to another owner and the old holder learns it lost it', async () => {
    const { db } = getStore();
    const clock = createManualClock('2026-03-01T10:00:00.000Z');
    expect(await acquireLease(db, 'poll:hubspot', 'A', clock.now())).toMatchObject({ ok: true });
    expect(await acquireLease(db, 'poll:hubspot', 'B', clock.now())).toMatchObject({ ok: false, heldBy: 'A' });
    expect(await acquireLease(db, 'poll:hubspot', 'A', clock.now())).toMatchObject({ ok: true });

    clock.advance(LEASE_DURATION_MS);
    expect(await acquireLease(db, 'poll:hubspot', 'B', clock.now())).toMatchObject({ ok: true });
    expect(await heartbeatLease(db, 'poll:hubspot', 'A', clock.now())).toBe(false);
    expect(await releaseLease(db, 'poll:hubspot', 'A')).toBe(false);
    expect(await releaseLease(db, 'poll:hubspot', 'B')).toBe(true);
    expect(await acquireLease(db, 'poll:hubspot', 'C', clock.now())).toMatchObject({ ok: true });
  });

  it('a heartbeat keeps the lease past its first expiry', async () => {
    const { db } = getStore();
    const clock = createManualClock('2026-03-01T10:00:00.000Z');
    await acquireLease(db, 'poll:mailchimp', 'A', clock.now());
    for (let i = 0; i < 5; i++) {
      clock.advance(LEASE_DURATION_MS / 2);
      expect(await heartbeatLease(db, 'poll:mailchimp', 'A', clock.now())).toBe(true);
    }
    expect(await acquireLease(db, 'poll:mailchimp', 'B', clock.now())).toMatchObject({ ok: false, heldBy: 'A' });
    clock.advance(LEASE_DURATION_MS + 1);
    expect(await heartbeatLease(db, 'poll:mailchimp', 'A', clock.now())).toBe(false);
  });

  it('of many processes racing for a free lease, exactly one wins', async () => {
    const { db } = getStore();
    const now = new Date('2026-03-01T10:00:00.000Z');
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => acquireLease(db, 'race', `P${i}`, now)));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
  });
});
