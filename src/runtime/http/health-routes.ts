/**
 * `/healthz` says the process is up (for a liveness probe: restart when it fails). `/readyz` says the
 * daemon can do its work: the store answers and systems' circuits are not open (for a readiness probe
 * and `concord status`). Probes are given by the caller so this file knows neither store nor systems.
 */
import type { FastifyInstance } from 'fastify';

export interface ReadinessProbe {
  /** Shown in the answer, e.g. `store` or `system:hubspot`. */
  name: string;
  /** Resolves true when ready. A rejection or a timeout counts as not ready. */
  check(): Promise<boolean | { ok: boolean; detail?: string }>;
}

export interface HealthRoutesOptions {
  probes: () => ReadinessProbe[];
  /** How long one probe may take before it counts as failed. Default is 2000 ms. */
  probeTimeoutMs?: number;
}

export interface ProbeOutcome { ok: boolean; detail?: string }

export async function runProbes(probes: ReadinessProbe[], timeoutMs: number): Promise<Record<string, ProbeOutcome>> {
  const entries = await Promise.all(probes.map(async (probe): Promise<[string, ProbeOutcome]> => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<ProbeOutcome>((resolve) => {
      timer = setTimeout(() => resolve({ ok: false, detail: `no answer within ${timeoutMs} ms` }), timeoutMs);
    });
    const run = probe.check().then(
      (r): ProbeOutcome => (typeof r === 'boolean' ? { ok: r } : r),
      (err: unknown): ProbeOutcome => ({ ok: false, detail: err instanceof Error ? err.message : String(err) }),
    );
    try {
      return [probe.name, await Promise.race([run, timeout])];
    } finally {
      clearTimeout(timer);
    }
  }));
  return Object.fromEntries(entries);
}

export function registerHealthRoutes(app: FastifyInstance, options: HealthRoutesOptions): void {
  const timeoutMs = options.probeTimeoutMs ?? 2000;
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_req, reply) => {
    const checks = await runProbes(options.probes(), timeoutMs);
    const ready = Object.values(checks).every((c) => c.ok);
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not-ready', checks });
  });
}
