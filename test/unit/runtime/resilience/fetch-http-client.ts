/** A bare HttpClient over fetch for these tests: real HTTP, no retries or limits of its own. */
import type { HttpClient, HttpResponse } from '../../../../src/connectors/http/http-types.js';

export function createFetchHttpClient(baseUrl: string): HttpClient {
  return {
    async request<T>(req: Parameters<HttpClient['request']>[0]): Promise<HttpResponse<T>> {
      const url = new URL(req.url, baseUrl);
      const res = await fetch(url, {
        method: req.method,
        headers: { ...(req.json !== undefined ? { 'content-type': 'application/json' } : {}), ...req.headers },
        ...(req.json !== undefined ? { body: JSON.stringify(req.json) } : {}),
        ...(req.signal ? { signal: req.signal } : {}),
      });
      const text = await res.text();
      let body: unknown = text;
      try { body = JSON.parse(text); } catch { /* not JSON: keep the text */ }
      return { status: res.status, headers: Object.fromEntries(res.headers), body: body as T, text };
    },
  };
}
