/**
 * The emulators' shared admin API (`/__emulator/`, src/emulators/README.md), spoken over real HTTP. The suite uses
 * only calls every emulator has, so it never names a provider.
 */
import { asRemoteId, type RemoteId } from '../../src/shared/ids.js';

export interface EmulatorAdmin {
  call<T = unknown>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }>;
  reset(): Promise<void>;
  seed(object: string, records: Array<Record<string, unknown>>): Promise<RemoteId[]>;
  edit(object: string, id: string, changes: Record<string, unknown>): Promise<void>;
  remove(object: string, id: string): Promise<void>;
  records(object: string): Promise<Array<Record<string, unknown>>>;
  advanceClock(ms: number): Promise<void>;
  addFault(rule: Record<string, unknown>): Promise<void>;
  flushWebhooks(): Promise<void>;
}

export function emulatorAdmin(baseUrl: string): EmulatorAdmin {
  async function call<T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
    const res = await fetch(`${baseUrl}/__emulator/${path}`, {
      method, headers: { 'content-type': 'application/json' }, ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
  }
  async function must<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await call<T>(method, path, body);
    if (res.status >= 300) throw new Error(`admin ${method} ${path}: HTTP ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }
  return {
    call,
    reset: async () => { await must('POST', 'reset'); },
    seed: async (object, records) => (await must<{ result: string[] }>('POST', `records/${object}`, { records, notify: false })).result.map(asRemoteId),
    edit: async (object, id, changes) => { await must('PATCH', `records/${object}/${id}`, changes); },
    remove: async (object, id) => { await must('DELETE', `records/${object}/${id}`); },
    records: async (object) => (await must<{ result: Array<Record<string, unknown>> }>('GET', `records/${object}`)).result,
    advanceClock: async (ms) => { await must('POST', 'clock', { advanceMs: ms }); },
    addFault: async (rule) => { await must('POST', 'faults', rule); },
    flushWebhooks: async () => { await must('POST', 'webhooks/flush'); },
  };
}
