/**
 * The daemon's log (`<dir>/daemon.log`, pino JSON) read as it grows, for what `/admin/status` does not say: when each
 * poll and each reconcile pass finished. Quiescence waits for passes that started after the last change, however
 * long a loaded machine takes to run them, instead of a fixed number of seconds.
 */
import { open } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';

export interface FinishedPasses {
  /** Polls finished after the time asked about, by intake object; every object that has ever polled is listed. */
  polls: Map<string, number>;
  /** Reconcile passes finished after that time. */
  reconciles: number;
}

export interface DaemonLogWatch {
  passesSince(ms: number): Promise<FinishedPasses>;
}

export function watchDaemonLog(file: string): DaemonLogWatch {
  const decoder = new StringDecoder('utf8');
  let offset = 0;
  let rest = '';
  const polls: Array<{ at: number; object: string }> = [];
  const reconciles: number[] = [];

  const readNew = async () => {
    const fh = await open(file, 'r').catch(() => undefined);
    if (!fh) return;
    try {
      const { size } = await fh.stat();
      if (size <= offset) return;
      const buf = Buffer.alloc(size - offset);
      const { bytesRead } = await fh.read(buf, 0, buf.length, offset);
      offset += bytesRead;
      const lines = (rest + decoder.write(buf.subarray(0, bytesRead))).split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines) {
        if (!line.startsWith('{')) continue;
        let e: { event?: string; time?: string; object?: string };
        try { e = JSON.parse(line) as typeof e; } catch { continue; }
        const at = Date.parse(e.time ?? '');
        if (Number.isNaN(at)) continue;
        if (e.event === 'poll:run:done' && e.object) polls.push({ at, object: e.object });
        if (e.event === 'reconcile:drift:found') reconciles.push(at);
      }
    } finally {
      await fh.close();
    }
  };

  return {
    async passesSince(ms) {
      await readNew();
      const byObject = new Map<string, number>();
      for (const p of polls) byObject.set(p.object, (byObject.get(p.object) ?? 0) + (p.at > ms ? 1 : 0));
      return { polls: byObject, reconciles: reconciles.filter((at) => at > ms).length };
    },
  };
}
