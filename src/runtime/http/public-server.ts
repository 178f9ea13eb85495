/**
 * The public HTTP server: webhooks and health, nothing else. Admin endpoints (metrics, the admin API)
 * live on a separate server (`admin-server.ts`) that binds to loopback by default, so exposing
 * webhooks to the internet never exposes them.
 */
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import { registerHealthRoutes, type HealthRoutesOptions } from './health-routes.js';
import { keepRawBodies } from './raw-body.js';
import { registerWebhookRoutes, type WebhookRoutesOptions } from './webhook-routes.js';
import { runtimeEvents } from '../metrics.js';

export interface PublicServerOptions extends WebhookRoutesOptions, HealthRoutesOptions {
  /** Largest request body accepted, in bytes; larger ones get 413 and are never read. Default is 1 MiB. */
  bodyLimit?: number;
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
  return app;
}
