/**
 * A real receiver on loopback that keeps every request the emulator sends, exactly as it arrived (raw body,
 * headers, full URL), as the contract's `WebhookRequest` the connector verifies. It answers 200.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { WebhookRequest } from '../../src/connectors/contract.js';

export interface CapturedWebhook { request: WebhookRequest; receivedAt: Date }

export interface WebhookCapture {
  /** Base of delivery URLs: `${base}/webhooks/<system><path>`. */
  base: string;
  received: CapturedWebhook[];
  close(): Promise<void>;
}

export async function startWebhookCapture(system: string): Promise<WebhookCapture> {
  const received: CapturedWebhook[] = [];
  let base = '';
  const prefix = `/webhooks/${system}`;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = req.url ?? '/';
      const headers: Record<string, string | undefined> = {};
      for (const [k, v] of Object.entries(req.headers)) headers[k] = Array.isArray(v) ? v.join(', ') : v;
      received.push({
        receivedAt: new Date(),
        request: {
          method: req.method ?? 'GET', path: raw.startsWith(prefix) ? raw.slice(prefix.length) || '/' : raw,
          url: `${base}${raw}`, headers, rawBody: Buffer.concat(chunks),
        },
      });
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base, received,
    close: () => new Promise<void>((resolve) => { server.close(() => resolve()); server.closeAllConnections(); }),
  };
}
