/**
 * The load generator, in a worker thread so it runs on the other core and does not take the server's
 * event loop. Two modes, both bounded in count and time:
 * - `closed`: `concurrency` loops each send the next request as soon as the last was answered (throughput);
 * - `open`: requests start at a fixed rate whatever the answers (latency at an offered load); each latency
 *   is measured from the request's scheduled start, so a slow answer cannot hide the ones queued behind it.
 * Every request carries `eventsPerRequest` contact events signed with the v3 scheme HubSpot documents
 * (base64 HMAC-SHA256 of method + URL + body + timestamp with the client secret), whatever the route: the
 * bare route then gets the same bytes as the webhook route, and the generator does the same work for both.
 */
import { createHmac } from 'node:crypto';
import http from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';

export interface LoadSpec {
  url: string;
  secret: string;
  mode: 'closed' | 'open';
  concurrency: number;
  /** Requests per second (open mode). */
  rate: number;
  durationMs: number;
  maxRequests: number;
  eventsPerRequest: number;
  /** Event ids start here, so runs never repeat one (a repeat would be a duplicate, not an ingest). */
  firstEventId: number;
  /** Object ids cycle through this many contacts. */
  objects: number;
}

export interface LoadResult {
  sent: number;
  ok: number;
  failed: number;
  statuses: Record<string, number>;
  seconds: number;
  latenciesMs: number[];
  /**
   * Main-thread busy time of the process that started the worker (the server's), from the first request
   * to the last answer: filled in by `runLoad`, so the worker's own start-up is not counted.
   */
  serverBusyMs: number;
}

const spec = workerData as LoadSpec;
let nextEvent = spec.firstEventId;

function request(): { body: string; headers: Record<string, string> } {
  const now = Date.now();
  const events = Array.from({ length: spec.eventsPerRequest }, () => {
    const id = nextEvent++;
    return {
      eventId: id, subscriptionId: 1001, portalId: 62515, appId: 54321, occurredAt: now, subscriptionType: 'contact.propertyChange',
      attemptNumber: 0, objectId: 1 + (id % spec.objects), propertyName: 'firstname', propertyValue: `Name ${id}`, changeSource: 'CRM_UI',
    };
  });
  const body = JSON.stringify(events);
  const ts = String(now);
  const signature = createHmac('sha256', spec.secret).update(`POST${spec.url}${body}${ts}`).digest('base64');
  return { body, headers: { 'content-type': 'application/json', 'x-hubspot-signature-v3': signature, 'x-hubspot-request-timestamp': ts } };
}

// node:http with keep-alive: on this machine it sends about three times as many requests per second as fetch.
const target = new URL(spec.url);
const agent = new http.Agent({ keepAlive: true, maxSockets: spec.concurrency });

function post(body: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: target.hostname, port: target.port, path: target.pathname + target.search, method: 'POST', agent,
      headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
    }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', reject);
    });
    req.setTimeout(30_000, () => req.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })));
    req.on('error', reject);
    req.end(body);
  });
}

async function main(): Promise<LoadResult> {
  const result: LoadResult = { sent: 0, ok: 0, failed: 0, statuses: {}, seconds: 0, latenciesMs: [], serverBusyMs: 0 };
  const started = performance.now();
  const deadline = started + spec.durationMs;
  const send = async (scheduledAt: number) => {
    result.sent += 1;
    const { body, headers } = request();
    try {
      const status = await post(body, headers);
      result.statuses[status] = (result.statuses[status] ?? 0) + 1;
      if (status >= 200 && status < 300) result.ok += 1; else result.failed += 1;
    } catch (err) {
      result.failed += 1;
      const code = (err as { code?: string }).code ?? 'error';
      result.statuses[code] = (result.statuses[code] ?? 0) + 1;
    }
    if (spec.mode === 'open') result.latenciesMs.push(performance.now() - scheduledAt);
  };
  if (spec.mode === 'closed') {
    const loop = async () => {
      while (performance.now() < deadline && result.sent < spec.maxRequests) await send(performance.now());
    };
    await Promise.all(Array.from({ length: spec.concurrency }, loop));
  } else {
    const intervalMs = 1000 / spec.rate;
    const inFlight = new Set<Promise<void>>();
    for (let i = 0; i < spec.maxRequests; i++) {
      const at = started + i * intervalMs;
      if (at >= deadline) break;
      const wait = at - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      // A cap on requests in flight keeps the loop bounded if the server stops answering.
      if (inFlight.size >= spec.concurrency) await Promise.race(inFlight);
      const p = send(at).finally(() => inFlight.delete(p));
      inFlight.add(p);
    }
    await Promise.all(inFlight);
  }
  result.seconds = (performance.now() - started) / 1000;
  return result;
}

parentPort?.postMessage('started');
void main().then((r) => parentPort?.postMessage(r));
