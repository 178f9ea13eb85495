/**
 * Admin endpoints (`/metrics`, and later the admin API). They are open on loopback; on any other
 * address they need the bearer token (`http.admin_token`), and a configured token is enforced on
 * loopback too (DESIGN §10). Webhooks and health stay open: providers and probes carry no token.
 *
 * They can share the public server (`registerAdminRoutes`, the token hook scoped to admin routes
 * only) or run on a server of their own bound to loopback (`createAdminServer`).
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { isLoopbackHost } from '../../config/daemon-config-checks.js';
import { ConcordError } from '../../shared/errors/index.js';
import type { RuntimeMetrics } from '../metrics.js';
import { requireBearerToken } from './bearer-token.js';

export { isLoopbackHost };

export interface AdminRoutesOptions {
  metrics: RuntimeMetrics;
  /** Address the server listens on. Default is 127.0.0.1. */
  host?: string;
  /** Bearer token; required when `host` is not a loopback address. Default is none. */
  token?: string;
}

function checkedToken(options: AdminRoutesOptions): string | undefined {
  const host = options.host ?? '127.0.0.1';
  const token = options.token && options.token.length > 0 ? options.token : undefined;
  if (!isLoopbackHost(host) && !token) {
    throw new ConcordError(
      'CONCORD_ERR_RUNTIME_ADMIN_TOKEN_MISSING',
      `http.host: expected a loopback address or an admin token, found host "${host}" and no http.admin_token; ` +
        'set http.admin_token (or http.admin_token_file), or bind to 127.0.0.1',
      { host },
    );
  }
  return token;
}

/** Mounts the admin routes on `app`; throws CONCORD_ERR_RUNTIME_ADMIN_TOKEN_MISSING for a public host without a token. */
export function registerAdminRoutes(app: FastifyInstance, options: AdminRoutesOptions): void {
  const token = checkedToken(options);
  void app.register(async (scope) => {
    requireBearerToken(scope, token);
    scope.get('/metrics', async (_req, reply) => {
      const body = await options.metrics.registry.metrics();
      return reply.type(options.metrics.registry.contentType).send(body);
    });
  });
}

export function createAdminServer(options: AdminRoutesOptions): { app: FastifyInstance; host: string } {
  const app = Fastify({ logger: false });
  registerAdminRoutes(app, options);
  return { app, host: options.host ?? '127.0.0.1' };
}
