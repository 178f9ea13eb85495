/** The read half of the contract: credentials, paging, change cursors, get and find. */
import { describe, expect, it } from 'vitest';
import { asCursor } from '../../src/shared/ids.js';
import type { ContractSubject } from './contract-subject.js';
import { collectPages, emails, recordsOf, useHarness } from './use-harness.js';

export function describeReadContract(subject: ContractSubject): void {
  describe(`${subject.system}: reads`, () => {
    const { h, admin } = useHarness(subject);

    it('verifyConnection says ok with the emulator’s credentials and not ok with others', async () => {
      const good = await h().connector.verifyConnection(h().ctx);
      expect(good.ok).toBe(true);
      const bad = await h().badConnector.verifyConnection(h().badCtx);
      expect(bad.ok).toBe(false);
      expect(bad.message).toMatch(/401|403/);
    });

    it('pages to the end of more records than one page holds, each record once, cursors never moving back', async () => {
      const n = h().pageSize + 7;
      const ids = await admin().seed(h().object, emails(n, 'page').map((e, i) => h().seedRecord(e, `P${i}`)));
      const pages = await collectPages(h().connector.listChanged(h().object, null, h().ctx));
      expect(pages.length).toBeGreaterThan(1);
      expect(pages.at(-1)!.done).toBe(true);
      expect(pages.slice(0, -1).every((p) => !p.done)).toBe(true);
      const seen = recordsOf(pages).map((r) => r.id);
      expect(new Set(seen).size).toBe(seen.length);
      expect(new Set(seen)).toEqual(new Set(ids));
      const cursors = pages.map((p) => Date.parse(p.nextCursor));
      expect(cursors).toEqual([...cursors].sort((a, b) => a - b));
    });

    it('lists changes since a cursor: records changed at the cursor’s instant, after it, and within an overlap before it', async () => {
      const [a, b, c] = await admin().seed(h().object, emails(3, 'since').map((e, i) => h().seedRecord(e, `S${i}`)));
      const first = await collectPages(h().connector.listChanged(h().object, null, h().ctx));
      const cursor0 = first.at(-1)!.nextCursor;
      expect(recordsOf(first).map((r) => r.id).sort()).toEqual([a, b, c].sort());

      await admin().advanceClock(5_000);
      await admin().edit(h().object, b!, h().userEdit('Changed'));
      const second = await collectPages(h().connector.listChanged(h().object, cursor0, h().ctx));
      const changed = recordsOf(second);
      expect(changed.find((r) => r.id === b)).toBeDefined();
      expect(h().nameOf(changed.find((r) => r.id === b)!)).toBe('Changed');
      // Nothing older than the cursor (at the system's own precision: Mailchimp keeps seconds).
      const floor = Math.floor(Date.parse(cursor0) / 1000) * 1000;
      expect(changed.every((r) => Date.parse(r.modifiedAt) >= floor)).toBe(true);
      const cursor1 = second.at(-1)!.nextCursor;
      expect(Date.parse(cursor1)).toBeGreaterThanOrEqual(Date.parse(cursor0) + 4_000);

      // A record modified exactly at the cursor's instant is listed again, never skipped.
      const atCursor = recordsOf(await collectPages(h().connector.listChanged(h().object, cursor1, h().ctx)));
      expect(atCursor.map((r) => r.id)).toContain(b);
      expect(atCursor.map((r) => r.id)).not.toContain(a);

      // The engine re-reads an overlap before its cursor: every record modified in it comes back.
      const overlap = asCursor(new Date(Date.parse(cursor1) - 10_000).toISOString());
      const again = recordsOf(await collectPages(h().connector.listChanged(h().object, overlap, h().ctx)));
      expect(again.map((r) => r.id).sort()).toEqual([a, b, c].sort());

      // Past every change: nothing.
      const later = asCursor(new Date(Date.parse(cursor1) + 2_000).toISOString());
      expect(recordsOf(await collectPages(h().connector.listChanged(h().object, later, h().ctx)))).toEqual([]);
    });

    it('lists a record deleted on the system as a deleted change, where the connector declares that changes include deletes', async () => {
      const [kept, gone] = await admin().seed(h().object, emails(2, 'del').map((e, i) => h().seedRecord(e, `D${i}`)));
      const cursor = (await collectPages(h().connector.listChanged(h().object, null, h().ctx))).at(-1)!.nextCursor;
      await admin().advanceClock(3_000);
      await admin().remove(h().object, gone!);
      const changed = recordsOf(await collectPages(h().connector.listChanged(h().object, cursor, h().ctx)));
      if (!h().connector.capabilities.changesIncludeDeletes) return;
      expect(changed.filter((r) => r.id === gone)).toMatchObject([{ deleted: true }]);
      expect(changed.find((r) => r.id === kept)?.deleted ?? false).toBe(false);
    });

    it('gives a record a new version whenever it changes, even twice within one second', async () => {
      const [id] = await admin().seed(h().object, [h().seedRecord('versions@example.com', 'V0')]);
      const versions: string[] = [];
      for (const name of ['V1', 'V2', 'V3']) {
        await admin().edit(h().object, id!, h().userEdit(name));
        const read = (await h().connector.get(h().object, [id!], h().ctx)).get(id!)!;
        expect(h().nameOf(read)).toBe(name);
        versions.push(read.version);
      }
      expect(new Set(versions).size).toBe(3);
      const again = (await h().connector.get(h().object, [id!], h().ctx)).get(id!)!;
      expect(again.version).toBe(versions[2]);
    });

    it('get returns live records with their fields, and vanished or never-existing ids as deleted', async () => {
      const [live, gone] = await admin().seed(h().object, emails(2, 'get').map((e, i) => h().seedRecord(e, `G${i}`)));
      await admin().remove(h().object, gone!);
      const got = await h().connector.get(h().object, [live!, gone!, h().absentId], h().ctx);
      expect(got.size).toBe(3);
      expect(got.get(live!)?.deleted ?? false).toBe(false);
      expect(h().nameOf(got.get(live!)!)).toBe('G0');
      expect(got.get(gone!)?.deleted).toBe(true);
      expect(got.get(h().absentId)?.deleted).toBe(true);
    });

    it('get reads more ids than one read batch holds', async () => {
      const n = h().connector.capabilities.maxReadBatch + 3;
      const ids = await admin().seed(h().object, emails(n, 'many').map((e, i) => h().seedRecord(e, `M${i}`)));
      const got = await h().connector.get(h().object, ids, h().ctx);
      expect([...got.values()].filter((r) => !r.deleted).map((r) => r.id).sort()).toEqual([...ids].sort());
    });

    it('find by the match field returns the records with those values and nothing for unknown ones', async () => {
      const list = emails(3, 'find');
      const ids = await admin().seed(h().object, list.map((e, i) => h().seedRecord(e, `F${i}`)));
      const found = await h().connector.find(h().object, h().matchField, [list[0]!, list[2]!, 'unknown-person@example.com'], h().ctx);
      expect(found.map((r) => r.id).sort()).toEqual([ids[0]!, ids[2]!].sort());
      expect(found.map((r) => String(r.fields[h().matchField]).toLowerCase()).sort()).toEqual([list[0]!, list[2]!].sort());
    });

    it('surfaces 429 as rate-limited (with the wait asked for) and 5xx as retryable when reading', async () => {
      const [id] = await admin().seed(h().object, [h().seedRecord('limits@example.com', 'L')]);
      await admin().addFault({ route: '*', kind: 'rate-limit', count: 1, retryAfterSeconds: 7 });
      await expect(h().connector.get(h().object, [id!], h().ctx)).rejects.toMatchObject({
        code: 'CONCORD_ERR_CONNECTOR_HTTP_STATUS', details: { errorClass: 'rate-limited', status: 429, retryAfterMs: 7_000 },
      });
      await admin().addFault({ route: '*', kind: 'error', status: 502, count: 1 });
      await expect(collectPages(h().connector.listChanged(h().object, null, h().ctx))).rejects.toMatchObject({
        code: 'CONCORD_ERR_CONNECTOR_HTTP_STATUS', details: { errorClass: 'retryable', status: 502 },
      });
      // The faults are used up: the same calls now succeed.
      expect((await h().connector.get(h().object, [id!], h().ctx)).get(id!)?.deleted ?? false).toBe(false);
    });
  });
}
