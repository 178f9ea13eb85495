/**
 * The engine commands as a user runs them: a config and a mapping file on disk, a SQLite state file, and two
 * in-memory systems handed in as the connector source.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ConnectorContext } from '../../../src/connectors/contract.js';
import type { ConnectorSource } from '../../../src/engine/session/engine-session.js';
import { systemClock } from '../../../src/shared/clock.js';
import { createMemoryConnector } from '../../support/memory-connector.js';
import * as apply from '../../../src/cli/commands/apply.js';
import * as audit from '../../../src/cli/commands/audit.js';
import * as conflicts from '../../../src/cli/commands/conflicts.js';
import * as explain from '../../../src/cli/commands/explain.js';
import * as plan from '../../../src/cli/commands/plan.js';
import * as rollback from '../../../src/cli/commands/rollback.js';
import * as sync from '../../../src/cli/commands/sync.js';

const crm = createMemoryConnector({ system: 'crm', clock: systemClock, objects: ['contacts'] });
const mail = createMemoryConnector({ system: 'mail', clock: systemClock, objects: ['members'] });
const source = (): ConnectorSource => (system) => ({
  connector: system === 'crm' ? crm : mail,
  http: { request: () => Promise.reject(new Error('no HTTP')) } as unknown as ConnectorContext['http'],
});

let dir: string;
let config: string;

async function run(...args: string[]): Promise<{ out: string; exitCode: number }> {
  const program = new Command('concord').option('-c, --config <file>').exitOverride();
  for (const mod of [sync, plan, apply, rollback, conflicts, audit, explain]) mod.register(program, { connectorSource: source });
  let out = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => { out += String(chunk); return true; });
  const errSpy = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  process.exitCode = 0;
  try {
    await program.parseAsync(['node', 'concord', '-c', config, ...args]);
  } finally {
    spy.mockRestore();
    errSpy.mockRestore();
  }
  const exitCode = Number(process.exitCode ?? 0);
  process.exitCode = 0;
  return { out, exitCode };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'concord-cli-'));
  mkdirSync(join(dir, 'mappings'));
  config = join(dir, 'concord.yaml');
  writeFileSync(config, [
    `database: { url: "${join(dir, 'state.db')}" }`,
    `mappings: ${join(dir, 'mappings')}`,
    'systems:',
    '  crm: { base_url: "http://127.0.0.1:9", emulator: true }',
    '  mail: { base_url: "http://127.0.0.1:9", emulator: true }',
  ].join('\n'));
  writeFileSync(join(dir, 'mappings', 'crm-mail.contacts.yaml'), [
    'schema_version: 1',
    'pair: crm-mail-contacts',
    'left: { system: crm, object: contacts }',
    'right: { system: mail, object: members }',
    'match: { left: email, right: email_address, normalize: email }',
    'create: { to_right: true }',
    'fields:',
    '  - { left: email, right: email_address, direction: both, conflict: prefer-left }',
    '  - { left: city, right: town, direction: both, conflict: manual }',
  ].join('\n'));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('engine commands', () => {
  it('plan --out, apply, sync --once, conflicts, explain, audit report and verify, rollback', async () => {
    const ann = crm.put('contacts', { email: 'ann@x.io', city: 'Oslo' });
    const planFile = join(dir, 'plan.json');
    const planned = await run('plan', '--pair', 'crm-mail-contacts', '--out', planFile);
    expect(planned.out).toContain('1 creates');
    expect(planned.out).toContain('town: (empty) -> "Oslo"  (created)');
    expect(mail.all('members')).toHaveLength(0);

    const applied = await run('apply', planFile);
    expect(applied.out).toMatch(/1 applied in batch \S+, 0 refused/);
    const member = mail.all('members')[0]!;
    expect(member.fields).toEqual({ email_address: 'ann@x.io', town: 'Oslo' });
    expect((await run('apply', planFile)).exitCode).toBe(1);

    crm.edit('contacts', ann.id, { city: 'Rome' });
    mail.edit('members', member.id, { town: 'Paris' });
    const sync = await run('sync', '--pair', 'crm-mail-contacts', '--once');
    expect(sync.out).toContain('crm-mail-contacts: quiescent');
    const list = await run('conflicts', 'list');
    const id = /^(\S+)\s+crm-mail-contacts/m.exec(list.out)![1]!;
    expect(list.out).toContain('left "Rome"  right "Paris"');
    const resolved = await run('conflicts', 'resolve', id, '--take', 'value', '"Lima"');
    expect(resolved.out).toContain('resolved with "Lima": 2 write(s)');
    expect(mail.record('members', member.id)?.fields.town).toBe('Lima');

    const explain = await run('explain', `mail:members/${member.id}.town`);
    expect(explain.out).toContain('"Paris" -> "Lima"');
    expect(explain.out).toContain('manual-resolution (manual), from crm:contacts/');
    expect(explain.out).toContain('rule: city <-> town (both, manual)');

    const html = join(dir, 'report.html');
    await run('audit', 'report', '--format', 'html', '--out', html);
    expect(readFileSync(html, 'utf8')).toContain('Concord audit report');
    expect((await run('audit', 'report', '--format', 'csv')).out.split('\r\n')[0]).toBe('seq,time,pair,system,object,record,field,old,new,reason,strategy,batch');
    expect((await run('audit', 'verify')).out).toMatch(/^ok: the audit chain of \d+ rows holds/);

    const batch = /in batch (\S+)/.exec(resolved.out)![1]!;
    const dry = await run('rollback', '--batch', batch, '--dry-run');
    expect(dry.out).toContain('would undo 2 record(s)');
    await run('rollback', '--batch', batch);
    expect(mail.record('members', member.id)?.fields.town).toBe('Paris');
    expect(crm.record('contacts', ann.id)?.fields.city).toBe('Rome');
  });
});
