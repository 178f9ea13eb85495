import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AUDIT_GENESIS_HASH, canonicalJson, hashAuditRow } from '../../../src/store/audit-hash.js';

const row = {
  seq: 1, at: '2026-03-01T10:00:00.000Z', pair: 'p', link_id: 'l', system: 's', object: 'o', record_id: 'r', field: 'f',
  old_value: '"a"', new_value: '"b"', reason: 'propagated', strategy: null, batch_id: 'b', journal_id: 'j', prev_hash: AUDIT_GENESIS_HASH,
};

describe('audit row hashing', () => {
  it('canonical JSON does not depend on key order (property)', () => {
    fc.assert(fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (obj) => {
      const reversed = Object.fromEntries(Object.entries(obj).reverse());
      expect(canonicalJson(reversed)).toBe(canonicalJson(obj));
      expect(JSON.parse(canonicalJson(obj))).toEqual(JSON.parse(JSON.stringify(obj)));
    }));
  });

  it('the hash changes with the position, the previous hash and every value', () => {
    const h = hashAuditRow(row);
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    expect(hashAuditRow({ ...row })).toBe(h);
    expect(hashAuditRow({ ...row, seq: 2 })).not.toBe(h);
    expect(hashAuditRow({ ...row, prev_hash: 'f'.repeat(64) })).not.toBe(h);
    expect(hashAuditRow({ ...row, strategy: 'manual' })).not.toBe(h);
    // null and the text "null" are different stored values.
    expect(hashAuditRow({ ...row, old_value: null })).not.toBe(hashAuditRow({ ...row, old_value: 'null' }));
  });
});
