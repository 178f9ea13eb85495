/**
 * Webhook signatures are computed over the exact bytes the provider sent, so the body must reach the
 * connector untouched: one catch-all content-type parser keeps every body (JSON, form, text, none) as
 * a Buffer. Parsing happens later, in the connector's `parse`, after verification.
 */
import type { FastifyInstance } from 'fastify';

export function keepRawBodies(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
}

export function rawBodyOf(body: unknown): Buffer {
  return Buffer.isBuffer(body) ? body : Buffer.alloc(0);
}

/** Fastify gives repeated headers as arrays; the contract wants one string per header. */
export function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(headers)) out[name] = Array.isArray(value) ? value.join(', ') : value;
  return out;
}
