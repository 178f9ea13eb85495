import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../shared/logger.js';
import { createAdminApi, type EmulatorDataAdmin } from './admin-api.js';
import type { EmulatorClock } from './emulator-clock.js';
import type { FaultInjector, FaultRule } from './fault-injector.js';
import {
  matchRoute, pathHasOtherMethod, type EmulatorRequest, type EmulatorResponse, type Route,
} from './emulator-routes.js';
import type { WebhookQueue } from './webhook-queue.js';

export type ErrorKind = 'not-found' | 'method-not-allowed' | 'bad-request' | 'server-error' | 'rate-limited';

/** What a provider plugs into the shared server. */
export interface ProviderAdapter {
  routes: Route[];
  /** Runs after faults, before the handler (auth, rate limits, connection limits). An answer stops there. */
  gate?(req: EmulatorRequest): EmulatorResponse | undefined;
  /** Adds headers to every API answer (e.g. rate-limit headers). */
  decorate?(req: EmulatorRequest, res: EmulatorResponse): void;
  /** The provider's own error shape for answers the server makes itself (unknown route, injected faults). */
  errorResponse(kind: ErrorKind, req: EmulatorRequest, info: { status?: number; retryAfterSeconds?: number; message?: string }): EmulatorResponse;
}

/** The admin API: requests under `/__emulator/` bypass faults, auth and counting. */
export type AdminHandler = (req: EmulatorRequest) => Promise<EmulatorResponse>;

export interface RequestCounter {
  counts(): Record<string, number>;
  reset(): void;
}

export interface EmulatorServer {
  url: string;
  port: number;
  counter: RequestCounter;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 10 * 1024 * 1024;

export async function startEmulatorServer(options: {
  port?: number;
  /** Default is 127.0.0.1: an emulator has no business on other interfaces unless asked. */
  host?: string;
  adapter: ProviderAdapter;
  faults: FaultInjector;
  admin: AdminHandler;
  log: Logger;
}): Promise<EmulatorServer> {
  const { adapter, faults, admin, log } = options;
  const counts = new Map<string, number>();
  let inFlight = 0;
  const counter: RequestCounter = {
    counts: () => Object.fromEntries([...counts.entries()].sort(([a], [b]) => a.localeCompare(b))),
    reset: () => counts.clear(),
  };

  const server = createServer((req, res) => {
    void handle(req, res).catch((err: unknown) => {
      log.error({ event: 'emulator:request:crashed', err }, 'emulator handler failed');
      if (!res.headersSent) send(res, { status: 500, body: { message: 'emulator internal error' } });
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    if (raw === undefined) { res.writeHead(413).end(); return; }
    const request = parseRequest(req, raw);
    if (request.path === '/__emulator' || request.path.startsWith('/__emulator/')) {
      send(res, await admin(request));
      return;
    }
    inFlight += 1;
    res.on('close', () => { inFlight -= 1; });
    request.inFlight = inFlight;

    const match = matchRoute(adapter.routes, request.method, request.path);
    request.routeName = match ? match.name : 'unmatched';
    counts.set(request.routeName, (counts.get(request.routeName) ?? 0) + 1);

    const fault = faults.decide(request.routeName);
    if (fault) {
      const answered = await applyFault(fault, request, res);
      if (answered) return;
    }
    let response: EmulatorResponse;
    if (!match) {
      response = adapter.errorResponse(
        pathHasOtherMethod(adapter.routes, request.path) ? 'method-not-allowed' : 'not-found', request, {});
    } else {
      request.params = match.params;
      response = adapter.gate?.(request) ?? await match.route.handler(request);
    }
    adapter.decorate?.(request, response);
    send(res, response);
  }

  /** True when the fault answered (or deliberately did not); false lets the request go on (slow). */
  async function applyFault(fault: FaultRule, req: EmulatorRequest, res: ServerResponse): Promise<boolean> {
    log.debug({ event: 'emulator:fault:applied', route: req.routeName, kind: fault.kind });
    switch (fault.kind) {
      case 'hang':
        return true; // never answered; close() drops the socket
      case 'disconnect':
        res.socket?.destroy();
        return true;
      case 'slow':
        await new Promise((r) => setTimeout(r, fault.delayMs ?? 1000));
        return false;
      case 'rate-limit': {
        const response = adapter.errorResponse('rate-limited', req, { status: 429, retryAfterSeconds: fault.retryAfterSeconds });
        send(res, response);
        return true;
      }
      case 'error': {
        const response = adapter.errorResponse('server-error', req, { status: fault.status ?? 500 });
        send(res, response);
        return true;
      }
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => { server.off('error', reject); resolve(); });
  });
  const address = server.address() as AddressInfo;
  const hostForUrl = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${hostForUrl}:${address.port}`,
    port: address.port,
    counter,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}

/** A provider emulator once it listens, with in-process handles for tests (the admin API offers the same over HTTP). */
export interface RunningEmulator<P extends string, C> {
  provider: P;
  url: string;
  credentials: C;
  faults: FaultInjector;
  webhooks: WebhookQueue;
  server: EmulatorServer;
  close(): Promise<void>;
}

/**
 * Puts a provider's adapter and admin data behind the shared server and the admin API. `data` is given the
 * server's URL as a getter, because the admin info names it and the server only has it once it listens.
 */
export async function startProviderEmulator<P extends string, C>(options: {
  provider: P;
  credentials: C;
  port?: number;
  host?: string;
  adapter: ProviderAdapter;
  data: (url: () => string | undefined) => EmulatorDataAdmin;
  faults: FaultInjector;
  webhooks: WebhookQueue;
  clock: EmulatorClock;
  log: Logger;
}): Promise<RunningEmulator<P, C>> {
  const { adapter, faults, webhooks, clock, log } = options;
  let server: EmulatorServer | undefined;
  const admin = createAdminApi({
    data: options.data(() => server?.url), faults, webhooks, clock, counter: () => server?.counter,
  });
  server = await startEmulatorServer({
    adapter, faults, admin, log, ...(options.port !== undefined ? { port: options.port } : {}), ...(options.host ? { host: options.host } : {}),
  });
  const running = server;
  return {
    provider: options.provider,
    url: running.url,
    credentials: options.credentials,
    faults,
    webhooks,
    server: running,
    close: async () => { webhooks.close(); await running.close(); },
  };
}

function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) { resolve(undefined); req.destroy(); return; }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function parseRequest(req: IncomingMessage, raw: Buffer): EmulatorRequest {
  const url = new URL(req.url ?? '/', `http://${req.headers.host ?? 'localhost'}`);
  const type = String(req.headers['content-type'] ?? '').toLowerCase();
  let body: unknown;
  let bodyError: string | undefined;
  const text = raw.toString('utf8');
  if (text.length > 0 && type.includes('json')) {
    try { body = JSON.parse(text); } catch (err) { bodyError = err instanceof Error ? err.message : String(err); }
  } else if (text.length > 0 && type.includes('application/x-www-form-urlencoded')) {
    body = Object.fromEntries(new URLSearchParams(text));
  }
  return {
    method: (req.method ?? 'GET').toUpperCase(),
    url,
    path: url.pathname.replace(/\/+$/, '') || '/',
    query: url.searchParams,
    headers: req.headers,
    rawBody: raw,
    body,
    ...(bodyError !== undefined ? { bodyError } : {}),
    params: {},
    routeName: 'unmatched',
    inFlight: 0,
  };
}

function send(res: ServerResponse, response: EmulatorResponse): void {
  if (res.headersSent || res.destroyed) return;
  const headers: Record<string, string> = { ...(response.headers ?? {}) };
  let payload: string | undefined;
  if (response.body !== undefined && response.status !== 204) {
    if (typeof response.body === 'string') {
      payload = response.body;
    } else {
      payload = JSON.stringify(response.body);
      if (!Object.keys(headers).some((k) => k.toLowerCase() === 'content-type')) {
        headers['content-type'] = 'application/json;charset=utf-8';
      }
    }
  }
  res.writeHead(response.status, headers);
  res.end(payload);
}
