/**
 * `GET /admin/status`: the daemon's live status for `concord status`. Like `/metrics` it is open on
 * loopback and needs the bearer token (`http.admin_token`) when one is configured (DESIGN §10).
 */
import type { FastifyInstance } from 'fastify';
import { requireBearerToken } from '../http/bearer-token.js';

export function registerStatusRoute(app: FastifyInstance, token: string | undefined, status: () => Promise<unknown>): void {
  void app.register(async (scope) => {
    requireBearerToken(scope, token);
    scope.get('/admin/status', async () => status());
  });
}
