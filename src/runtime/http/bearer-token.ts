import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';

/**
 * Requires `Authorization: Bearer <token>` on every route of `scope`; answers 401 otherwise. Without a token the
 * routes stay open (admin routes on loopback, DESIGN §10). Digests make the compare constant-time whatever the
 * length of what was sent.
 */
export function requireBearerToken(scope: FastifyInstance, token: string | undefined): void {
  if (!token) return;
  const expected = createHash('sha256').update(token).digest();
  scope.addHook('onRequest', async (req, reply) => {
    const header = req.headers.authorization ?? '';
    const given = header.startsWith('Bearer ') ? header.slice(7) : '';
    if (!given || !timingSafeEqual(createHash('sha256').update(given).digest(), expected)) {
      return reply.code(401).header('www-authenticate', 'Bearer').send({ error: 'unauthorized' });
    }
  });
}
