/**
 * `GET /admin/status`: the daemon's live status for `concord status`. Like `/metrics` it is open on
 * loopback and needs the bearer token (`http.admin_token`) when one is configured (DESIGN §10).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';

export function registerStatusRoute(app: FastifyInstance, token: string | undefined, status: () => Promise<unknown>): void {
  void app.register(async (scope) => {
    if (token) {
      // Digests make the compare constant-time whatever the length of what was sent.
      const expected = createHash('sha256').update(token).digest();
      scope.addHook('onRequest', async (req, reply) => {
        const header = req.headers.authorization ?? '';
        const given = header.startsWith('Bearer ') ? header.slice(7) : '';
        if (!given || !timingSafeEqual(createHash('sha256').update(given).digest(), expected)) {
          return reply.code(401).header('www-authenticate', 'Bearer').send({ error: 'unauthorized' });
        }
      });
    }
    scope.get('/admin/status', async () => status());
  });
}
