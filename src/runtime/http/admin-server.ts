/**
 * Admin endpoints (`/metrics`, and later the admin API) on their own server. They bind to loopback
 * unless configured otherwise; a non-loopback address needs a bearer token, which every request must
 * then carry (DESIGN §10). A token given for loopback is enforced too.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import { ConcordError } from '../../shared/errors/index.js';
import type { RuntimeMetrics } from '../metrics.js';

export interface AdminServerOptions {
  metrics: RuntimeMetrics;
  /** Address the admin server will listen on. Default is 127.0.0.1. */
  host?: string;
  /** Bearer token; required when `host` is not a loopback address. Default is none. */
  token?: string;
}

export function isLoopbackHost(host: string): boolean {
  if (host === 'localhost' || host === '::1') return true;
  return isIP(host) === 4 && host.startsWith('127.');
}

export function createAdminServer(options: AdminServerOptions): { app: FastifyInstance; host: string } {
  const host = options.host ?? '127.0.0.1';
  const token = options.token && options.token.length > 0 ? options.token : undefined;
  if (!isLoopbackHost(host) && !token) {
    throw new ConcordError(
      'CONCORD_ERR_RUNTIME_ADMIN_TOKEN_MISSING',
      `server.admin.host: expected a loopback address or a bearer token, found host "${host}" and no token; ` +
        'set server.admin.token_file (or CONCORD_ADMIN_TOKEN), or bind to 127.0.0.1',
      { host },
    );
  }
  const app = Fastify({ logger: false });
  if (token) {
    // Digests make the compare constant-time whatever the length of what was sent.
    const expected = createHash('sha256').update(token).digest();
    app.addHook('onRequest', async (req, reply) => {
      const header = req.headers.authorization ?? '';
      const given = header.startsWith('Bearer ') ? header.slice(7) : '';
      const digest = createHash('sha256').update(given).digest();
      if (!given || !timingSafeEqual(digest, expected)) {
        return reply.code(401).header('www-authenticate', 'Bearer').send({ error: 'unauthorized' });
      }
    });
  }
  app.get('/metrics', async (_req, reply) => {
    const body = await options.metrics.registry.metrics();
    return reply.type(options.metrics.registry.contentType).send(body);
  });
  return { app, host };
}
