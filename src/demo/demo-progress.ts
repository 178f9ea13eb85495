/**
 * Live counts while the demo runs: one refreshing line on a terminal, plain lines (every few seconds,
 * when something changed) otherwise, so a CI log stays readable.
 */
import type { RunningDaemon } from '../runtime/daemon/daemon.js';

export interface LiveCounts {
  webhooks: number;
  writes: Record<string, number>;
  conflicts: number;
  deadLetters: number;
  queue: number;
}

async function total(metric: { get(): Promise<{ values: Array<{ value: number }> }> }): Promise<number> {
  return (await metric.get()).values.reduce((n, v) => n + v.value, 0);
}

export async function liveCounts(daemon: RunningDaemon): Promise<LiveCounts> {
  const s = await daemon.status();
  return {
    webhooks: await total(daemon.metrics.eventsReceived),
    writes: { ...daemon.counters.writes },
    conflicts: daemon.counters.conflictsSettled + daemon.counters.conflicts,
    deadLetters: Object.values(s.store.deadLettersBySystem).reduce((n, c) => n + c, 0),
    queue: s.live.queueDepth,
  };
}

export function formatCounts(phase: string, c: LiveCounts): string {
  const writes = Object.entries(c.writes).sort().map(([s, n]) => `${s} ${n}`).join(', ') || 'none';
  return `${phase.padEnd(10)} webhooks ${c.webhooks} | writes ${writes} | conflicts ${c.conflicts} | dead letters ${c.deadLetters} | queue ${c.queue}`;
}

export function createProgressLine(out: NodeJS.WriteStream): { show(line: string): void; done(): void } {
  const tty = out.isTTY === true;
  let last = '';
  let lastAt = 0;
  return {
    show(line) {
      if (tty) {
        out.write(`\r\x1b[2K${line}`);
        return;
      }
      const now = Date.now();
      if (line !== last && now - lastAt >= 5000) {
        out.write(`${line}\n`);
        last = line;
        lastAt = now;
      }
    },
    done() {
      if (tty) out.write('\n');
    },
  };
}
