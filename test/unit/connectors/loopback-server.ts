import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SeenRequest {
  method: string;
  path: string;
  url: URL;
  headers: IncomingMessage['headers'];
  body: string;
  json: unknown;
}

export interface Reply {
  status?: number;
  headers?: Record<string, string>;
  json?: unknown;
  text?: string;
  /** Never answer (for timeouts). */
  hang?: boolean;
}

export type Handler = (req: SeenRequest) => Reply | Promise<Reply>;

/** A real HTTP server on 127.0.0.1, port 0, answering with `handler` and recording every request. */
export async function startLoopbackServer(handler: Handler): Promise<{ url: string; seen: SeenRequest[]; close(): Promise<void>; server: Server }> {
  const seen: SeenRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      let json: unknown = undefined;
      try { json = body ? JSON.parse(body) : undefined; } catch { json = undefined; }
      const s: SeenRequest = { method: req.method ?? 'GET', path: url.pathname, url, headers: req.headers, body, json };
      seen.push(s);
      void Promise.resolve(handler(s)).then((r) => {
        if (r.hang) return;
        const text = r.json !== undefined ? JSON.stringify(r.json) : r.text ?? '';
        res.writeHead(r.status ?? 200, { ...(r.json !== undefined ? { 'content-type': 'application/json' } : {}), ...r.headers });
        res.end(text);
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    server,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
