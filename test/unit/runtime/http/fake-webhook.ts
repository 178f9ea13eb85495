/**
 * A webhook handler written for these tests: HMAC-SHA256 over `<timestamp>.<raw body>` in
 * `x-test-signature`, a 5-minute timestamp window in `x-test-timestamp`, a GET handshake echoing
 * `?validationToken=`, and a JSON body `{ "events": [{ "id", "object", "recordId", "kind" }] }`.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { ChangeHint, Verification, WebhookHandler, WebhookRequest } from '../../../../src/connectors/contract.js';
import { ConcordError } from '../../../../src/shared/errors/index.js';
import { asRemoteId } from '../../../../src/shared/ids.js';
import type { AppendResult, InboxEvent, InboxSink } from '../../../../src/runtime/http/inbox-sink.js';

export const secret = 'test-signing-secret';

export function sign(body: string, timestamp: number, key = secret): string {
  return createHmac('sha256', key).update(`${timestamp}.${body}`).digest('hex');
}

export const fakeWebhookHandler: WebhookHandler = {
  verify(req: WebhookRequest, secrets, now): Verification {
    if (req.method === 'GET') {
      const token = new URL(req.url).searchParams.get('validationToken');
      if (token) return { ok: true, handshake: { status: 200, contentType: 'text/plain', body: token } };
      return { ok: false, reason: 'malformed', message: 'GET without validationToken' };
    }
    const sig = req.headers['x-test-signature'];
    const ts = Number(req.headers['x-test-timestamp']);
    if (!sig || !Number.isFinite(ts)) return { ok: false, reason: 'missing-signature', message: 'x-test-signature or x-test-timestamp missing' };
    if (Math.abs(now.getTime() / 1000 - ts) > 300) return { ok: false, reason: 'timestamp', message: 'timestamp outside the 5-minute window' };
    const expected = Buffer.from(createHmac('sha256', secrets.secret).update(`${ts}.`).update(req.rawBody).digest('hex'));
    const given = Buffer.from(sig);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'signature', message: 'signature mismatch' };
    return { ok: true };
  },
  parse(req: WebhookRequest): ChangeHint[] {
    let body: unknown;
    try {
      body = JSON.parse(req.rawBody.toString('utf8'));
    } catch {
      throw new ConcordError('CONCORD_ERR_CONNECTOR_WEBHOOK_MALFORMED', 'test webhook body is not JSON');
    }
    const events = (body as { events?: unknown }).events;
    if (!Array.isArray(events)) throw new ConcordError('CONCORD_ERR_CONNECTOR_WEBHOOK_MALFORMED', 'test webhook body has no events array');
    return events.map((e: { id: string; object: string; recordId: string; kind?: 'upsert' | 'delete' }) => ({
      object: e.object, id: asRemoteId(e.recordId), eventId: e.id, occurredAt: '2026-01-01T00:00:00.000Z', kind: e.kind ?? 'upsert',
    }));
  },
};

/** An inbox with the dedup rule of the real one, for tests that do not need a database. */
export function createMemoryInbox(): InboxSink & { events: InboxEvent[] } {
  const events: InboxEvent[] = [];
  const seen = new Set<string>();
  return {
    events,
    async append(batch): Promise<AppendResult> {
      let stored = 0;
      for (const e of batch) {
        const key = `${e.system}\u0000${e.eventId}`;
        if (seen.has(key)) continue;
        seen.add(key);
        events.push(e);
        stored += 1;
      }
      return { stored, duplicates: batch.length - stored };
    },
  };
}
