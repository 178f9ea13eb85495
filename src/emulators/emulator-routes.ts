import type { IncomingHttpHeaders } from 'node:http';

/** A request as an emulator's handlers see it: parsed once by the server. */
export interface EmulatorRequest {
  method: string;
  /** The full URL the client used (scheme and host from the Host header). */
  url: URL;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  rawBody: Buffer;
  /** JSON body parsed, form body as a record, or undefined. `bodyError` is set when JSON did not parse. */
  body: unknown;
  bodyError?: string;
  params: Record<string, string>;
  routeName: string;
  /** API requests being handled right now, this one included (admin calls not counted). */
  inFlight: number;
}

export interface EmulatorResponse {
  status: number;
  headers?: Record<string, string>;
  /** An object is sent as JSON; a string as is (set content-type in headers). */
  body?: unknown;
}

export type RouteHandler = (req: EmulatorRequest) => EmulatorResponse | Promise<EmulatorResponse>;

export interface Route {
  method: string;
  /** Path patterns; `:name` segments are parameters. The first one names the route. */
  patterns: string[];
  handler: RouteHandler;
}

export interface RouteMatch { route: Route; name: string; params: Record<string, string> }

/** Routes are tried in order; put the more specific pattern first. */
export function matchRoute(routes: readonly Route[], method: string, path: string): RouteMatch | undefined {
  const segments = path.split('/').filter((s) => s.length > 0);
  for (const route of routes) {
    if (route.method !== method) continue;
    for (const pattern of route.patterns) {
      const params = matchPattern(pattern, segments);
      if (params) return { route, name: `${route.method} ${route.patterns[0]}`, params };
    }
  }
  return undefined;
}

function matchPattern(pattern: string, segments: string[]): Record<string, string> | undefined {
  const parts = pattern.split('/').filter((s) => s.length > 0);
  if (parts.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] as string;
    const seg = segments[i] as string;
    if (part.startsWith(':')) {
      let value: string;
      try { value = decodeURIComponent(seg); } catch { return undefined; }
      params[part.slice(1)] = value;
    } else if (part !== seg) {
      return undefined;
    }
  }
  return params;
}

/** Whether any route serves this path with another method (for a 405 rather than a 404). */
export function pathHasOtherMethod(routes: readonly Route[], path: string): boolean {
  const segments = path.split('/').filter((s) => s.length > 0);
  return routes.some((r) => r.patterns.some((p) => matchPattern(p, segments) !== undefined));
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): EmulatorResponse {
  return { status, body, headers };
}
