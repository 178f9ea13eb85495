import type { z } from 'zod';
import { ConcordError } from '../../shared/errors/index.js';
import type { WriteErrorKind, WriteResult } from '../contract.js';
import { classifyResponse } from './classify-response.js';
import type { HttpResponse } from './http-types.js';

/** The provider's own message from an error body, whatever its shape (HubSpot `message`, Problem+JSON `detail`). */
export function providerMessage(res: HttpResponse): string {
  const b = res.body as Record<string, unknown> | null;
  if (b && typeof b === 'object') {
    const parts = [b.title, b.message, b.detail].filter((v): v is string => typeof v === 'string' && v !== '');
    if (parts.length > 0) return parts.join(': ');
  }
  return res.text.slice(0, 200);
}

/**
 * For reads: returns the response when it is 2xx, throws CONCORD_ERR_CONNECTOR_HTTP_STATUS otherwise, with
 * `details.errorClass` and `details.retryAfterMs` so the runtime knows whether and when to retry.
 */
export function assertOk<T>(res: HttpResponse<T>, where: string): HttpResponse<T> {
  const cls = classifyResponse(res.status, res.headers);
  if (cls === 'ok') return res;
  throw new ConcordError('CONCORD_ERR_CONNECTOR_HTTP_STATUS',
    `${where}: expected a 2xx answer, found HTTP ${res.status} (${cls}): ${providerMessage(res)}`,
    { status: res.status, errorClass: cls, retryAfterMs: res.rateLimit?.retryAfterMs });
}

/** Validates a response body at the boundary; a body of another shape is CONCORD_ERR_CONNECTOR_RESPONSE_INVALID. */
export function parseBodyAs<S extends z.ZodType>(schema: S, res: HttpResponse, where: string): z.infer<S> {
  const parsed = schema.safeParse(res.body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new ConcordError('CONCORD_ERR_CONNECTOR_RESPONSE_INVALID',
    `${where}: expected the documented response shape, found a mismatch at "${issue?.path.join('.') ?? ''}": ${issue?.message ?? ''}`,
    { status: res.status });
}

/** The write-error kind of a non-2xx answer (409 is a conflict, 400/422 a validation failure). */
export function writeErrorKind(res: HttpResponse): WriteErrorKind {
  if (res.status === 409) return 'conflict';
  if (res.status === 400 || res.status === 422) return 'validation';
  const cls = classifyResponse(res.status, res.headers);
  return cls === 'ok' ? 'permanent' : cls;
}

/** One failed result per ref, for an answer that failed a whole batch. */
export function failAll(refs: string[], res: HttpResponse): WriteResult[] {
  const error = { kind: writeErrorKind(res), message: `HTTP ${res.status}: ${providerMessage(res)}`, status: res.status,
    ...(res.rateLimit?.retryAfterMs !== undefined ? { retryAfterMs: res.rateLimit.retryAfterMs } : {}) };
  return refs.map((ref) => ({ ref, ok: false as const, error }));
}
