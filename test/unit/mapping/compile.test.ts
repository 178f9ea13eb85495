import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mappingSchema, type MappingFile } from '../../../src/config/mapping-schema.js';
import { compileMapping } from '../../../src/mapping/compile.js';
import { noLinks } from './transforms/context.js';

const file = 'mappings/hubspot-mailchimp.contacts.yaml';

/** A mapping as the loader hands it over: parsed by the zod schema, defaults applied. */
function mapping(overrides: Record<string, unknown> = {}): MappingFile {
  return mappingSchema.parse({
    schema_version: 1,
    pair: 'crm-marketing-contacts',
    left: { system: 'hubspot', object: 'contacts' },
    right: { system: 'mailchimp', object: 'members', params: { list_id: 'abc123', page_size: 100 } },
    match: { left: 'email', right: 'email_address', normalize: 'email' },
    fields: [{ left: 'firstname', right: 'merge_fields.FNAME' }],
    ...overrides,
  });
}

function problemsOf(m: MappingFile) {
  const r = compileMapping(m, { file });
  return r.ok ? [] : r.problems;
}

describe('compileMapping on valid mappings', () => {
  it('compiles the DESIGN example into what the engine runs', async () => {
    const r = compileMapping(mapping({
      create: { to_right: true },
      delete: 'archive',
      fields: [
        { left: 'firstname', right: 'merge_fields.FNAME', direction: 'both', conflict: 'last-write-wins' },
        { left: 'hs_email_optout', right: 'status', direction: 'both', conflict: 'prefer-right',
          transform: { map: { true: 'unsubscribed', false: 'subscribed' } } },
        { left: 'tags', right: 'tags', direction: 'both', conflict: 'merge-set' },
        { left: 'phone', right: 'merge_fields.PHONE', conflict: { strategy: 'manual', fallback: 'prefer-left', after: '48h' }, transform: 'phone_e164' },
      ],
      filter: { left: "lifecyclestage in ['lead', 'customer']" },
    }), { file });
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    const m = r.mapping;
    expect(m.file).toBe(file);
    expect(m.right.params).toEqual({ list_id: 'abc123', page_size: '100' });
    expect(m.create).toEqual({ toRight: true, toLeft: false });
    expect(m.fields.map((f) => f.id)).toEqual(['firstname~merge_fields.FNAME', 'hs_email_optout~status', 'tags~tags', 'phone~merge_fields.PHONE']);
    expect(await m.fields[1]!.transform.toRight('true', noLinks)).toEqual({ ok: true, value: 'unsubscribed' });
    expect(await m.fields[1]!.transform.toRight('cleaned', noLinks)).toMatchObject({ ok: false, kind: 'unmapped' });
    expect(m.fields[3]).toMatchObject({ strategy: 'manual', fallback: 'prefer-left', fallbackAfterMs: 48 * 3_600_000 });
    expect(m.match[0]!.normalizeName).toBe('email');
    expect(m.match[0]!.normalize(' Ada@Example.com')).toBe('ada@example.com');
    expect(await m.filter.left!({ lifecyclestage: 'customer' })).toBe(true);
    expect(m.filter.right).toBeUndefined();
    expect(m.guard).toEqual({ maxChangeShare: 0.1 });
  });

  it('accepts non-invertible transforms and jsonata on one-way fields', () => {
    expect(problemsOf(mapping({
      fields: [
        { left: 'lifecyclestage', right: 'merge_fields.STAGE', direction: 'left-to-right', transform: { map: { lead: 'open', opportunity: 'open' } } },
        { left: 'invoice_status', right: 'Balance', direction: 'right-to-left', transform: { jsonata: "$ = 0 ? 'paid' : 'open'" } },
        { left: 'closedate', right: 'TxnDate', direction: 'left-to-right', transform: { date: { format: 'date', zone: 'Europe/Berlin' } } },
      ],
    }))).toEqual([]);
  });

  it('accepts sum-deltas with number or no transform, and max with a date', () => {
    expect(problemsOf(mapping({
      fields: [
        { left: 'inventory_quantity', right: 'stock_quantity', conflict: 'sum-deltas' },
        { left: 'reserved', right: 'held', conflict: 'sum-deltas', transform: { number: { scale: 0 } } },
        { left: 'lastmodified', right: 'updated', conflict: 'max', transform: { date: { format: 'epoch_ms' } } },
      ],
    }))).toEqual([]);
  });

  it('binds a lookup and a phone region given as options', async () => {
    const raw = mapping({ fields: [{ left: 'company_id', right: 'CustomerRef.value', direction: 'left-to-right', transform: { lookup: 'companies-customers' } }] });
    (raw.fields as unknown[]).push({ left: 'phone', right: 'PrimaryPhone.FreeFormNumber', direction: 'both', conflict: 'last-write-wins', transform: { phone_e164: { region: 'GB' } } });
    const r = compileMapping(raw, { file });
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    expect(r.mapping.fields[0]!.transform.name).toBe('lookup:companies-customers');
    expect(await r.mapping.fields[1]!.transform.toRight('020 7946 0000', noLinks)).toEqual({ ok: true, value: '+442079460000' });
  });
});

describe('compileMapping binds the calendar transforms by name', () => {
  it('on two-way fields, as the calendar pair uses them', () => {
    const r = compileMapping(mapping({
      fields: [
        { left: 'start', right: 'start', transform: 'event_time' },
        { left: 'recurrence', right: 'recurrence', transform: 'rrule' },
        { left: 'start.timeZone', right: 'originalStartTimeZone', transform: 'timezone' },
      ],
    }), { file });
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    expect(r.mapping.fields.map((f) => f.transform.name)).toEqual(['event_time', 'rrule', 'timezone']);
  });
});

describe('compileMapping refuses what would flap or cannot be merged', () => {
  it('a two-way map that is not one-to-one, naming the colliding keys', () => {
    expect(problemsOf(mapping({
      fields: [
        { left: 'firstname', right: 'merge_fields.FNAME' },
        { left: 'lastname', right: 'merge_fields.LNAME' },
        { left: 'lifecyclestage', right: 'merge_fields.STAGE', direction: 'both', transform: { map: { lead: 'open', opportunity: 'open', customer: 'won' } } },
      ],
    }))).toEqual([{
      path: ['fields', 2, 'transform', 'map'],
      code: 'CONCORD_ERR_TRANSFORM_NOT_INVERTIBLE',
      message: 'field lifecyclestage <-> merge_fields.STAGE has direction both, but transform map does not round-trip: the map is not one-to-one: "lead" and "opportunity" all map to "open"; the field would flap. Make the transform round-trip or make the field one-way',
    }]);
  });

  it('a lossy date format on a two-way field, saying what it loses', () => {
    const [p] = problemsOf(mapping({ fields: [{ left: 'closedate', right: 'TxnDate', transform: { date: { format: 'date' } } }] }));
    expect(p).toMatchObject({ path: ['fields', 0, 'transform', 'date'], code: 'CONCORD_ERR_TRANSFORM_NOT_INVERTIBLE' });
    expect(p!.message).toContain('keeps only the calendar day, so the time of day of the left value is lost');
  });

  it('the non-invertible step of a chain, at that step', () => {
    expect(problemsOf(mapping({ fields: [{ left: 'stage', right: 'STAGE', transform: ['trim', { map: { a: 'x', b: 'x' } }] }] })))
      .toMatchObject([{ path: ['fields', 0, 'transform', 1, 'map'], code: 'CONCORD_ERR_TRANSFORM_NOT_INVERTIBLE' }]);
  });

  it('jsonata on a two-way field', () => {
    expect(problemsOf(mapping({ fields: [{ left: 'amount', right: 'Balance', transform: { jsonata: '$ * 100' } }] }))).toEqual([{
      path: ['fields', 0, 'transform', 'jsonata'],
      code: 'CONCORD_ERR_TRANSFORM_JSONATA_TWO_WAY',
      message: 'field amount <-> Balance has direction both, but a jsonata transform computes one way only; set direction to left-to-right or right-to-left',
    }]);
  });

  it('jsonata that does not compile, in a transform or a filter', () => {
    const problems = problemsOf(mapping({
      fields: [{ left: 'a', right: 'b', direction: 'left-to-right', transform: { jsonata: '$ = ' } }],
      filter: { right: "status = 'subscribed" },
    }));
    expect(problems.map((p) => [p.path, p.code])).toEqual([
      [['fields', 0, 'transform', 'jsonata'], 'CONCORD_ERR_TRANSFORM_JSONATA_SYNTAX'],
      [['filter', 'right'], 'CONCORD_ERR_TRANSFORM_JSONATA_SYNTAX'],
    ]);
  });

  it('strategies that do not fit the values', () => {
    const problems = problemsOf(mapping({
      fields: [
        { left: 'stock', right: 'stock_quantity', conflict: 'sum-deltas', transform: 'trim' },
        { left: 'tags', right: 'tags', conflict: 'merge-set', transform: 'lowercase' },
        { left: 'name', right: 'NAME', conflict: 'max', transform: 'uppercase' },
        { left: 'attendees', right: 'attendees', conflict: 'last-write-wins', key: 'email' },
      ],
    }));
    const raw = mapping({ fields: [{ left: 'stock', right: 'stock_quantity', conflict: 'sum-deltas' }] });
    (raw.fields[0] as { transform?: unknown }).transform = { number: { scale: 0, as: 'text' } };
    expect(problemsOf(raw).map((p) => [p.path, p.code])).toEqual([[['fields', 0, 'conflict'], 'CONCORD_ERR_TRANSFORM_STRATEGY_MISMATCH']]);
    expect(problems.map((p) => [p.path, p.code])).toEqual([
      [['fields', 0, 'conflict'], 'CONCORD_ERR_TRANSFORM_STRATEGY_MISMATCH'],
      [['fields', 1, 'conflict'], 'CONCORD_ERR_TRANSFORM_STRATEGY_MISMATCH'],
      [['fields', 2, 'conflict'], 'CONCORD_ERR_TRANSFORM_STRATEGY_MISMATCH'],
      [['fields', 3, 'key'], 'CONCORD_ERR_TRANSFORM_STRATEGY_MISMATCH'],
    ]);
    expect(problems[0]!.message).toBe('sum-deltas adds up numeric changes, but transform trim does not give numbers; allowed with no transform or with number (not as text)');
  });

  it('a fallback without manual, a manual fallback without after, and a bad after', () => {
    const problems = problemsOf(mapping({
      fields: [
        { left: 'a', right: 'A', conflict: { strategy: 'prefer-left', fallback: 'prefer-right', after: '1h' } },
        { left: 'b', right: 'B', conflict: { strategy: 'manual', fallback: 'prefer-right' } },
        { left: 'c', right: 'C', conflict: { strategy: 'manual', after: '2d' } },
      ],
    }));
    expect(problems.map((p) => [p.path, p.code])).toEqual([
      [['fields', 0, 'conflict', 'fallback'], 'CONCORD_ERR_TRANSFORM_FALLBACK_MISUSED'],
      [['fields', 1, 'conflict', 'fallback'], 'CONCORD_ERR_TRANSFORM_FALLBACK_MISUSED'],
      [['fields', 2, 'conflict', 'after'], 'CONCORD_ERR_TRANSFORM_FALLBACK_MISUSED'],
    ]);
    expect(problems[0]!.message).toContain('but the strategy is prefer-left');
  });

  it('bad paths in fields and match keys, and two fields writing one path', () => {
    const problems = problemsOf(mapping({
      match: [{ left: 'email', right: 'email_address' }, { left: 'phone', right: 'merge_fields..PHONE' }],
      fields: [
        { left: 'firstname', right: 'merge_fields.FNAME' },
        { left: 'Line[x]', right: 'name' },
        { left: 'nickname', right: 'merge_fields.FNAME' },
        { left: 'a.__proto__', right: 'z', direction: 'right-to-left' },
      ],
    }));
    expect(problems.map((p) => [p.path, p.code])).toEqual([
      [['match', 1, 'right'], 'CONCORD_ERR_TRANSFORM_BAD_PATH'],
      [['fields', 1, 'left'], 'CONCORD_ERR_TRANSFORM_BAD_PATH'],
      [['fields', 3, 'left'], 'CONCORD_ERR_TRANSFORM_BAD_PATH'],
      [['fields', 2, 'right'], 'CONCORD_ERR_TRANSFORM_DUPLICATE_TARGET'],
    ]);
    expect(problems[3]!.message).toBe('fields 0 and 2 both write right path merge_fields.FNAME; keep one of them or point them at different paths');
  });

  it('bad transform options and transforms this build does not have', () => {
    const raw = mapping({ fields: [{ left: 'd', right: 'D', transform: { date: { zone: 'Mars/Olympus' } } }] });
    (raw.fields as unknown[]).push({ left: 'p', right: 'P', direction: 'both', conflict: 'last-write-wins', transform: { phone_e164: { region: 'XX' } } });
    (raw.fields as unknown[]).push({ left: 's', right: 'S', direction: 'both', conflict: 'last-write-wins', transform: ['trim', 'soundex'] });
    const problems = problemsOf(raw);
    expect(problems.map((p) => [p.path, p.code])).toEqual([
      [['fields', 0, 'transform', 'date', 'zone'], 'CONCORD_ERR_TRANSFORM_BAD_OPTION'],
      [['fields', 1, 'transform', 'phone_e164', 'region'], 'CONCORD_ERR_TRANSFORM_BAD_OPTION'],
      [['fields', 2, 'transform', 1], 'CONCORD_ERR_TRANSFORM_UNAVAILABLE'],
    ]);
    expect(problems[2]!.message).toMatch(/^transform "soundex" is not available in this build; available: lowercase, uppercase, trim, email/);
  });
});

describe('compileMapping finds a non-invertible two-way transform wherever it is (property)', () => {
  it('reports it at its path, and accepts the same field one-way', () => {
    const plainField = fc.record({ left: fc.stringMatching(/^[a-z]{1,8}$/), right: fc.stringMatching(/^[A-Z]{1,8}$/) });
    const lossy = fc.constantFrom<[unknown, (string | number)[]]>(
      [{ map: { a: 'x', b: 'x' } }, ['map']],
      [{ date: { format: 'date' } }, ['date']],
      [{ date: { format: 'epoch_s' } }, ['date']],
      [['trim', { map: { '1': 'one', '01': 'one' } }], [1, 'map']],
    );
    fc.assert(fc.property(fc.array(plainField, { maxLength: 5 }), fc.nat(), lossy, (others, at, [transform, tail]) => {
      const fields: Array<Record<string, unknown>> = others.map((f, i) => ({ left: `${f.left}${i}`, right: `${f.right}${i}` }));
      const index = at % (fields.length + 1);
      fields.splice(index, 0, { left: 'lossy', right: 'LOSSY', direction: 'both', transform });
      const problems = problemsOf(mapping({ fields }));
      expect(problems.map((p) => [p.path, p.code])).toEqual([[['fields', index, 'transform', ...tail], 'CONCORD_ERR_TRANSFORM_NOT_INVERTIBLE']]);
      fields[index]!.direction = 'left-to-right';
      expect(problemsOf(mapping({ fields }))).toEqual([]);
    }));
  });
});
