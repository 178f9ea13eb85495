/**
 * The webhook half of the contract: the emulator's real deliveries, captured on loopback, must verify with the
 * right secret and no other, outside their time window they must not, and they must parse into hints about the
 * record that changed. The provider's published examples must verify (or not) and parse as published.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContractSubject } from './contract-subject.js';
import { useHarness } from './use-harness.js';
import { startWebhookCapture, type WebhookCapture } from './webhook-capture.js';

export function describeWebhookContract(subject: ContractSubject): void {
  describe(`${subject.system}: webhooks`, () => {
    const { h, admin } = useHarness(subject);
    let capture: WebhookCapture;
    beforeAll(async () => { capture = await startWebhookCapture(subject.system); });
    afterAll(async () => { await capture?.close(); });

    it('declares webhooks and has a handler', () => {
      expect(h().connector.capabilities.webhooks).toBe(true);
      expect(h().connector.webhook).toBeDefined();
    });

    describe('deliveries from the emulator', () => {
      // Modes are known only once the harness starts, so each case loops over them.
      it('verify with the right secret, not with another, and parse into hints about the edited record', async () => {
        for (const mode of h().webhookModes) {
          capture.received.length = 0;
          const url = `${capture.base}/webhooks/${subject.system}${h().webhookPath}`;
          const put = await admin().call('PUT', 'webhooks', { url, ...mode.emulatorSettings });
          expect(put.status, mode.name).toBe(200);
          const [id] = await admin().seed(h().object, [h().seedRecord(`hook-${mode.name.replace(/\W/g, '')}@example.com`, 'Before')]);
          await admin().edit(h().object, id!, h().userEdit('After'));
          await admin().flushWebhooks();
          const posts = capture.received.filter((c) => c.request.method === 'POST');
          expect(posts.length, mode.name).toBeGreaterThan(0);
          const handler = h().connector.webhook!;
          for (const { request, receivedAt } of posts) {
            expect(handler.verify(request, mode.secrets, receivedAt), mode.name).toEqual({ ok: true });
            const wrong = handler.verify(request, { ...mode.secrets, secret: `${mode.secrets.secret}x` }, receivedAt);
            expect(wrong, mode.name).toMatchObject({ ok: false, reason: 'signature' });
          }
          const hints = posts.flatMap((p) => handler.parse(p.request));
          const about = hints.filter((x) => x.id === id);
          expect(about.length, mode.name).toBeGreaterThan(0);
          expect(about.every((x) => x.object === h().object && x.kind === 'upsert' && x.eventId !== ''), mode.name).toBe(true);
          expect(new Set(hints.map((x) => x.eventId)).size, mode.name).toBe(hints.length);
        }
      });

      it('are refused outside their timestamp window, where the signature signs a time', async () => {
        const timed = h().webhookModes.filter((m) => m.timestampWindowMs !== undefined);
        for (const mode of timed) {
          capture.received.length = 0;
          await admin().call('PUT', 'webhooks', { url: `${capture.base}/webhooks/${subject.system}${h().webhookPath}`, ...mode.emulatorSettings });
          const [id] = await admin().seed(h().object, [h().seedRecord('late@example.com', 'Before')]);
          await admin().edit(h().object, id!, h().userEdit('After'));
          await admin().flushWebhooks();
          const post = capture.received.find((c) => c.request.method === 'POST')!;
          const window = mode.timestampWindowMs!;
          const handler = h().connector.webhook!;
          expect(handler.verify(post.request, mode.secrets, new Date(post.receivedAt.getTime() + window - 5_000))).toEqual({ ok: true });
          expect(handler.verify(post.request, mode.secrets, new Date(post.receivedAt.getTime() + window + 5_000))).toMatchObject({ ok: false, reason: 'timestamp' });
        }
      });

      it('answer the provider’s URL check, where it makes one', async () => {
        const trigger = h().triggerHandshake;
        if (!trigger) return;
        capture.received.length = 0;
        await trigger(`${capture.base}/webhooks/${subject.system}${h().webhookPath}`);
        const check = capture.received.find((c) => c.request.method !== 'POST');
        expect(check).toBeDefined();
        const v = h().connector.webhook!.verify(check!.request, h().webhookModes[0]!.secrets, check!.receivedAt);
        expect(v).toMatchObject({ ok: true, handshake: { status: 200 } });
      });
    });

    it('treats the provider’s published examples as published', () => {
      const handler = h().connector.webhook!;
      expect(h().publishedExamples.length).toBeGreaterThan(0);
      for (const ex of h().publishedExamples) {
        const v = handler.verify(ex.request, ex.secrets, ex.now);
        if (ex.verifies === true) expect(v, ex.name).toEqual({ ok: true });
        else expect(v, ex.name).toMatchObject({ ok: false, reason: ex.verifies });
        if (ex.hints) {
          const hints = handler.parse(ex.request);
          expect(hints, ex.name).toHaveLength(ex.hints.length);
          ex.hints.forEach((want, i) => expect(hints[i], ex.name).toMatchObject(want));
        }
      }
    });
  });
}
