/**
 * Start-up recovery that cannot finish yet (DESIGN §7: intents resolved before anything new is written). A create
 * cut short by the last stop is looked for by its match key through HubSpot's search, and HubSpot answers that
 * search 429 for as long as the test says. Meanwhile the pair writes nothing, even for a linked contact whose own
 * routes answer; `/admin/status` and `/readyz` show the pair waiting, the log says so once. When search answers
 * again the intent is resolved, and only then does the held change reach HubSpot.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoEmulators, type DemoEmulators } from '../../../src/demo/demo-emulators.js';
import { writeDemoWorkspace, type DemoWorkspace } from '../../../src/demo/demo-workspace.js';
import { createEngineStore } from '../../../src/engine/state/kysely-engine-store.js';
import { startDaemon, type RunningDaemon } from '../../../src/runtime/daemon/daemon.js';
import { systemClock } from '../../../src/shared/clock.js';
import { asBatchId } from '../../../src/shared/ids.js';
import { createLogger, silentLogger } from '../../../src/shared/logger.js';
import { listJournal } from '../../../src/store/journal.js';
import { openStore } from '../../../src/store/migrate.js';
import { eventually, freePort } from './daemon-process.js';

const pair = 'crm-marketing-contacts';
const searchRoute = 'POST /crm/v3/objects/:objectType/search';

interface Contact { id: string; properties: Record<string, unknown> }
interface LogLine { level: number; event?: string; pair?: string }

describe('daemon: a pair whose start-up recovery cannot finish yet', () => {
  const dir = mkdtempSync(join(tmpdir(), 'concord-daemon-recovery-'));
  const lines: LogLine[] = [];
  let emulators: DemoEmulators;
  let workspace: DemoWorkspace;
  let daemon: RunningDaemon | undefined;
  let intentId: string;

  const contact = async (email: string) => ((await emulators.admin('hubspot', 'GET', 'records/contacts')).body as { result: Contact[] }).result
    .find((c) => c.properties.email === email);
  const journal = async () => {
    const store = await openStore(workspace.databaseUrl);
    try { return await listJournal(store.db, { pair }); } finally { await store.close(); }
  };

  beforeAll(async () => {
    emulators = await startDemoEmulators({ seed: 'daemon-recovery' });
    await emulators.admin('hubspot', 'POST', 'records/contacts', {
      records: [{ properties: { email: 'alice@example.com', firstname: 'Alice', lifecyclestage: 'customer' } }], notify: false,
    });
    await emulators.admin('mailchimp', 'POST', 'records/members', {
      records: [{ email_address: 'alice@example.com', status: 'subscribed', merge_fields: { FNAME: 'Alice' } }], notify: false,
    });
    workspace = await writeDemoWorkspace({ dir, port: await freePort(), hubspotBaseUrl: emulators.hubspotBaseUrl, mailchimpBaseUrl: emulators.mailchimpBaseUrl });

    // A first run links Alice.
    const first = await startDaemon({ configPath: workspace.configPath, log: silentLogger, exit: () => {}, retry: { attempts: 3, baseMs: 20 } });
    await eventually('Alice linked', async () => (await first.session().store.listLinks(pair)).length === 1);
    await first.stop('first run done');

    // A create of HubSpot contact Zed, cut short by the stop: an intent with no outcome.
    const store = await openStore(workspace.databaseUrl);
    try {
      const engineStore = createEngineStore(store.db, systemClock);
      const batchId = asBatchId('cut-short-batch');
      const at = new Date().toISOString();
      await engineStore.startBatch({ id: batchId, pair, kind: 'sync', startedAt: at });
      intentId = await engineStore.recordIntent({
        batchId, pair, linkId: null, side: 'left', system: 'hubspot', object: 'contacts', remoteId: null, op: 'create',
        before: {}, after: { email: 'zed@example.com', firstname: 'Zed', lifecyclestage: 'lead' }, versionBefore: null,
        idempotencyKey: 'cut-short-create-zed', matchKey: { field: 'email', value: 'zed@example.com', key: 'email:zed@example.com' },
      }, at);
    } finally {
      await store.close();
    }
  }, 60_000);

  afterAll(async () => {
    await daemon?.stop('test done');
    await emulators?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes nothing for the pair until the intent is resolved, says why, then carries out the held change', async () => {
    await emulators.admin('hubspot', 'DELETE', 'requests');
    await emulators.admin('hubspot', 'POST', 'faults', { route: searchRoute, kind: 'rate-limit' });
    const destination = { write: (line: string) => { lines.push(JSON.parse(line) as LogLine); } };
    daemon = await startDaemon({
      configPath: workspace.configPath, log: createLogger({ level: 'debug', destination }), exit: () => {},
      // One call per attempt: each 429 holds HubSpot's account for its default 10 s (no Retry-After), so attempts are slow.
      retry: { attempts: 1, baseMs: 20 }, recovery: { baseDelayMs: 50, maxDelayMs: 300 },
    });
    await emulators.deliverWebhooksTo(daemon.url);
    const d = daemon;

    const waiting = await eventually('the pair shown waiting after a failed attempt', async () => {
      const w = (await d.status()).live.recovering[pair];
      return w?.lastError !== undefined ? w : undefined;
    });
    expect(waiting.lastError).toMatch(/429/);
    const ready = await fetch(`${d.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(((await ready.json()) as { checks: Record<string, { ok: boolean; detail?: string }> }).checks[`recovery:${pair}`]?.ok).toBe(false);

    // A person renames Alice in Mailchimp; the work arrives and is held, and recovery keeps failing meanwhile.
    const member = ((await emulators.admin('mailchimp', 'GET', 'records/members')).body as { result: Array<{ id: string }> }).result[0]!;
    await emulators.admin('mailchimp', 'PATCH', `records/members/${member.id}`, { merge_fields: { FNAME: 'Alicia' } });
    await eventually('the change held', async () => ((await d.status()).live.held[pair] ?? 0) > 0);
    const seen = (await d.status()).live.recovering[pair]!.attempts;
    await eventually('another recovery attempt', async () => ((await d.status()).live.recovering[pair]?.attempts ?? 0) > seen, 60_000);

    expect((await contact('alice@example.com'))?.properties.firstname).toBe('Alice');
    expect((await journal()).filter((j) => j.id !== intentId && j.createdAt >= waiting.since)).toEqual([]);
    const counts = ((await emulators.admin('hubspot', 'GET', 'requests')).body as { counts: Record<string, number> }).counts;
    expect(counts[searchRoute]).toBeGreaterThan(0);
    expect(Object.keys(counts).filter((route) => /^(PATCH|PUT|DELETE) /.test(route) || /^POST .*\/batch\/(update|create|upsert|archive)$/.test(route))).toEqual([]);

    // Search answers again: the intent is resolved (Zed was never created), then Alice's new name is written.
    await emulators.admin('hubspot', 'DELETE', 'faults');
    await eventually('Alicia in HubSpot', async () => (await contact('alice@example.com'))?.properties.firstname === 'Alicia', 60_000);
    const after = await journal();
    const resolved = after.find((j) => j.id === intentId)!;
    expect(resolved.state).toBe('failed');
    expect(resolved.error).toMatch(/recovered: .*did not happen/);
    expect(after.filter((j) => j.state === 'intent')).toEqual([]);
    const writes = after.filter((j) => j.id !== intentId && j.createdAt >= waiting.since);
    expect(writes.length).toBeGreaterThan(0);
    for (const w of writes) expect(w.createdAt >= resolved.updatedAt).toBe(true);
    expect((await d.status()).live.recovering).toEqual({});

    const recoveryLines = lines.filter((l) => l.pair === pair && l.event?.startsWith('engine:journal:recovery'));
    expect(recoveryLines.filter((l) => l.event === 'engine:journal:recovery-waiting')).toHaveLength(1);
    expect(recoveryLines.filter((l) => l.level >= 50)).toEqual([]);
    expect(lines.some((l) => l.pair === pair && l.event === 'engine:journal:recovered' && l.level === 30)).toBe(true);
  }, 120_000);
});
