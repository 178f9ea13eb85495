/**
 * The runtime's seams on the real store, SQLite and Postgres: webhook intake through the group-commit
 * inbox writer, dead letters from runWithResilience, and the readiness probe.
 */
import { expect, it } from 'vitest';
import { createPublicServer } from '../../../../src/runtime/http/public-server.js';
import { createRuntimeMetrics } from '../../../../src/runtime/metrics.js';
import { runWithResilience } from '../../../../src/runtime/resilience/run-with-resilience.js';
import { createStoreDeadLetterSink } from '../../../../src/runtime/store-adapters/store-dead-letter-sink.js';
import { createStoreInboxSink } from '../../../../src/runtime/store-adapters/store-inbox-sink.js';
import { createStoreProbe } from '../../../../src/runtime/store-adapters/store-probe.js';
import { createManualClock } from '../../../../src/shared/clock.js';
import { asSystemId } from '../../../../src/shared/ids.js';
import { silentLogger } from '../../../../src/shared/logger.js';
import { createInboxWriter } from '../../../../src/store/inbox-writer.js';
import { listDeadLetters } from '../../../../src/store/dead-letters.js';
import { createSqliteTestStore, describeEachDialect } from '../../../support/db.js';
import { fakeWebhookHandler, secret, sign } from '../http/fake-webhook.js';

const clock = createManualClock('2026-03-01T12:00:00.000Z');
const nowSec = () => Math.floor(clock.now().getTime() / 1000);

describeEachDialect('runtime on the store', (getStore) => {
  function server(system: string) {
    const { db } = getStore();
    const writer = createInboxWriter(db, { clock });
    const app = createPublicServer({
      endpoint: (s) => (s === system ? { system: asSystemId(system), handler: fakeWebhookHandler, secrets: { secret } } : undefined),
      inbox: createStoreInboxSink(writer), clock, log: silentLogger, metrics: createRuntimeMetrics({ processMetrics: false }),
      probes: () => [createStoreProbe(db)], bodyLimit: 2048,
    });
    const post = (body: string, opts: { ts?: number; key?: string } = {}) => {
      const ts = opts.ts ?? nowSec();
      return app.inject({ method: 'POST', url: `/webhooks/${system}`, payload: body,
        headers: { 'content-type': 'application/json', 'x-test-timestamp': String(ts), 'x-test-signature': sign(body, ts, opts.key) } });
    };
    const rows = () => db.selectFrom('inbox').select(['event_id', 'remote_id', 'object', 'kind']).where('system', '=', system).orderBy('id').execute();
    return { app, post, rows, writer };
  }
  const body = (...ids: string[]) => JSON.stringify({ events: ids.map((id) => ({ id, object: 'contacts', recordId: `r-${id}` })) });

  it('stores verified events in the inbox, concurrent requests included, and each replay only once', async () => {
    const s = server('intake1');
    const answers = await Promise.all([s.post(body('a1', 'a2')), s.post(body('b1')), s.post(body('c1')), s.post(body('a1'))]);
    expect(answers.map((a) => a.statusCode)).toEqual([200, 200, 200, 200]);
    expect(answers.reduce((n, a) => n + a.json().stored, 0)).toBe(4);
    const replay = await s.post(body('a2', 'b1'));
    expect(replay.json()).toEqual({ received: 2, stored: 0, duplicates: 2 });
    expect((await s.rows()).map((r) => r.event_id).sort()).toEqual(['a1', 'a2', 'b1', 'c1']);
    await s.app.close();
    await s.writer.close();
  });

  it('stores nothing for a bad signature, a stale timestamp, an oversized or a malformed body', async () => {
    const s = server('intake2');
    const statuses = [
      (await s.post(body('x1'), { key: 'not-the-secret' })).statusCode,
      (await s.post(body('x2'), { ts: nowSec() - 3600 })).statusCode,
      (await s.post(JSON.stringify({ events: [{ id: 'x3', object: 'contacts', recordId: 'r', pad: 'p'.repeat(4000) }] }))).statusCode,
      (await s.post('{"events": [')).statusCode,
    ];
    expect(statuses).toEqual([401, 401, 413, 400]);
    expect(await s.rows()).toEqual([]);
    expect((await s.app.inject('/readyz')).statusCode).toBe(200);
    await s.app.close();
    await s.writer.close();
  });

  it('puts a work item that failed its last attempt in the dead-letter table', async () => {
    const { db } = getStore();
    const result = await runWithResilience(async () => { throw Object.assign(new Error('target refused the record'), { kind: 'validation' }); }, {
      item: { key: 'link:dl-1', system: 'dlsys', pair: 'crm-marketing', payload: { eventIds: ['e1'] } },
      retry: { attempts: 2, baseMs: 1, maxMs: 2 }, deadLetters: createStoreDeadLetterSink(db, clock), clock, log: silentLogger,
    });
    expect(result).toMatchObject({ ok: false, deadLettered: true, attempts: 2 });
    const letters = await listDeadLetters(db, { system: 'dlsys' });
    expect(letters.map((l) => [l.key, l.pair, l.payload, l.error, l.attempts])).toEqual([
      ['link:dl-1', 'crm-marketing', { eventIds: ['e1'] }, '[validation] target refused the record', 2],
    ]);
  });
});

it('the store probe reports a closed store as not ready', async () => {
  const { store, dispose } = await createSqliteTestStore();
  const probe = createStoreProbe(store.db);
  expect(await probe.check()).toBe(true);
  await dispose();
  await expect(probe.check()).rejects.toThrow();
});
