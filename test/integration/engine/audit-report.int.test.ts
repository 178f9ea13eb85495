import { expect, it } from 'vitest';
import { describeEachDialect } from '../../support/db.js';
import { syncPair } from '../../../src/engine/sync/sync-pair.js';
import { explainValue, formatExplain, parseExplainTarget } from '../../../src/report/explain.js';
import { formatHtml } from '../../../src/report/format-html.js';
import { formatCsv, formatJson, formatTable } from '../../../src/report/format-text.js';
import { loadReportData } from '../../../src/report/report-data.js';
import { createFixture, linkedRecord } from './engine-fixture.js';

const mapping = {
  match: { left: 'email', right: 'email_address', normalize: 'email' },
  create: { to_right: true },
  fields: [
    { left: 'email', right: 'email_address', direction: 'both', conflict: 'prefer-left' },
    { left: 'city', right: 'address.town', direction: 'both', conflict: 'prefer-right' },
  ],
};

describeEachDialect('audit reports and explain', (getStore) => {
  async function history() {
    const f = createFixture(getStore, { mapping });
    const { l, r } = await linkedRecord(f, { email: 'h@x.io', city: 'Oslo, "old" town' });
    f.clock.advance(86_400_000);
    f.left.edit('contacts', l.id, { city: 'Rome' });
    f.right.edit('members', r.id, { address: { town: 'Paris' } });
    await syncPair(f.deps);
    return { f, l, r };
  }

  it('explain prints each change of a value with its source, rule, conflict decision and batch', async () => {
    const { f, l, r } = await history();
    const target = parseExplainTarget(`mail:members/${r.id}.address.town`);
    expect(target).toEqual({ system: 'mail', object: 'members', id: r.id, field: 'address.town' });
    const steps = await explainValue(f.deps.store, target, new Map([[f.pair, f.mapping]]));
    expect(steps.map((s) => [s.reason, s.new])).toEqual([['created', 'Oslo, "old" town']]);
    const onLeft = await explainValue(f.deps.store, parseExplainTarget(`crm:contacts/${l.id}.city`), new Map([[f.pair, f.mapping]]));
    expect(onLeft).toEqual([expect.objectContaining({ reason: 'conflict', strategy: 'prefer-right', old: 'Rome', new: 'Paris', from: `mail:members/${r.id}` })]);
    const text = formatExplain(parseExplainTarget(`crm:contacts/${l.id}.city`), onLeft);
    expect(text).toContain('conflict settled by prefer-right');
    expect(text).toContain(`batch ${onLeft[0]!.batchId}`);
    expect(text).toContain('rule: city <-> address.town (both, prefer-right)');
    expect(() => parseExplainTarget('nonsense')).toThrow(expect.objectContaining({ code: 'CONCORD_ERR_ENGINE_EXPLAIN_TARGET' }));
  });

  it('table, CSV, JSON and a self-contained HTML report of the same rows', async () => {
    const { f } = await history();
    const data = await loadReportData(f.deps.store, { pair: f.pair }, f.clock.now());
    expect(data.rows.map((r) => r.reason)).toEqual(['created', 'created', 'conflict']);
    expect(formatTable(data)).toContain('3 changes to 2 records; conflicts settled: 1');
    const csv = formatCsv(data).split('\r\n');
    expect(csv[0]).toBe('seq,time,pair,system,object,record,field,old,new,reason,strategy,batch');
    expect(csv[2]).toContain('"Oslo, ""old"" town"');
    expect(JSON.parse(formatJson(data)).summary).toMatchObject({ changes: 3, conflictsSettled: 1 });
    const html = formatHtml(data);
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).not.toMatch(/<script|<link |src="http|href="http/);
    expect(html).toContain('<svg role="img" aria-label="changes per pair per day"');
    expect(html).toContain('Concord changed 3 field values on 2 records. 1 changes settled a conflict');
    expect(html).toContain('&quot;old&quot;');
  });
});
