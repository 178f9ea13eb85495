/**
 * The HTTP server: webhooks and health, open to providers and probes, plus — when `admin` is given —
 * the admin endpoints, which need the bearer token unless the server is on loopback (`admin-server.ts`).
 */
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import { registerHealthRoutes, type HealthRoutesOptions } from './health-routes.js';
import { keepRawBodies } from './raw-body.js';
import { registerWebhookRoutes, type WebhookRoutesOptions } from './webhook-routes.js';
import { registerAdminRoutes, type AdminRoutesOptions } from './admin-server.js';
import { runtimeEvents } from '../metrics.js';

export interface PublicServerOptions extends WebhookRoutesOptions, HealthRoutesOptions {
  /** Largest request body accepted, in bytes; larger ones get 413 and are never read. Default is 1 MiB. */
  bodyLimit?: number;
  /** Admin routes on this server (host it will listen on, token). Default is none: run `createAdminServer` apart. */
  admin?: Omit<AdminRoutesOptions, 'metrics'>;
}

export function createPublicServer(options: PublicServerOptions): FastifyInstance {
  const app = Fastify({ bodyLimit: options.bodyLimit ?? 1024 * 1024, logger: false });
  keepRawBodies(app);
  app.setErrorHandler((err: FastifyError, req, reply) => {
    const system = (req.params as { system?: string } | undefined)?.system ?? 'unknown';
    if (err.statusCode === 413) {
      options.metrics.eventsRefused.inc({ system, reason: 'size' });
      options.log.warn({ event: runtimeEvents.webhookRefused, system, reason: 'size' }, 'webhook refused: body too large');
      return reply.code(413).send({ error: 'size', message: `body larger than ${options.bodyLimit ?? 1024 * 1024} bytes` });
    }
    if (err.statusCode !== undefined && err.statusCode >= 400 && err.statusCode < 500) {
      options.metrics.eventsRefused.inc({ system, reason: 'malformed' });
      return reply.code(err.statusCode).send({ error: 'malformed', message: err.message });
    }
    options.log.error({ event: 'http:request:failed', system, err }, 'request failed');
    return reply.code(500).send({ error: 'internal', message: 'internal error' });
  });
  registerHealthRoutes(app, options);
  registerWebhookRoutes(app, options);
  if (options.admin) registerAdminRoutes(app, { ...options.admin, metrics: options.metrics });
  return app;
}
