import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHubSpotEmulator, type RunningHubSpotEmulator } from '../../../src/emulators/hubspot/hubspot-emulator.js';

let e: RunningHubSpotEmulator;
beforeAll(async () => { e = await startHubSpotEmulator({ seed: 'prop', limits: { burstPer10Seconds: 1e9, searchPerSecond: 1e9 } }); });
afterAll(async () => { await e.close(); });

const json = { 'content-type': 'application/json' };

describe('HubSpot search paging (property)', () => {
  it('following `after` with any page size returns every match once, in the requested order', async () => {
    await fc.assert(fc.asyncProperty(
      fc.uniqueArray(fc.stringMatching(/^[a-z]{1,8}$/), { minLength: 0, maxLength: 40 }),
      fc.integer({ min: 1, max: 25 }),
      fc.constantFrom('ASCENDING', 'DESCENDING'),
      async (names, limit, direction) => {
        await fetch(`${e.url}/__emulator/reset`, { method: 'POST' });
        await fetch(`${e.url}/__emulator/records/contacts`, { method: 'POST', headers: json, body: JSON.stringify(names.map((n) => ({ email: `${n}@example.com` }))) });
        const seen: string[] = [];
        let after: string | undefined;
        do {
          const res = await fetch(`${e.url}/crm/v3/objects/contacts/search`, {
            method: 'POST', headers: { ...json, authorization: `Bearer ${e.credentials.privateAppToken}` },
            body: JSON.stringify({ sorts: [{ propertyName: 'email', direction }], properties: ['email'], limit, ...(after ? { after } : {}) }),
          });
          const body = await res.json() as { total: number; results: Array<{ properties: { email: string } }>; paging?: { next: { after: string } } };
          expect(body.total).toBe(names.length);
          seen.push(...body.results.map((r) => r.properties.email));
          after = body.paging?.next.after;
        } while (after);
        const expected = names.map((n) => `${n}@example.com`).sort();
        if (direction === 'DESCENDING') expected.reverse();
        expect(seen).toEqual(expected);
      },
    ), { numRuns: 25 });
  });
});
