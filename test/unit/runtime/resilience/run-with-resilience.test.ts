import { describe, expect, it } from 'vitest';
import { createCircuitRegistry } from '../../../../src/runtime/resilience/circuit-registry.js';
import type { DeadLetter } from '../../../../src/runtime/resilience/dead-letter-sink.js';
import { runWithResilience } from '../../../../src/runtime/resilience/run-with-resilience.js';
import { createRuntimeMetrics } from '../../../../src/runtime/metrics.js';
import { createManualClock } from '../../../../src/shared/clock.js';
import { silentLogger } from '../../../../src/shared/logger.js';

const clock = createManualClock('2026-03-01T12:00:00.000Z');
const fast = { baseMs: 1, maxMs: 5 };

function sink() {
  const letters: DeadLetter[] = [];
  return { letters, add: async (l: DeadLetter) => { letters.push(l); } };
}

describe('runWithResilience', () => {
  it('retries until the work succeeds', async () => {
    const deadLetters = sink();
    let calls = 0;
    const result = await runWithResilience(async () => { calls++; if (calls < 3) throw new Error('flaky'); return 'done'; },
      { item: { key: 'k1', payload: {} }, retry: { ...fast, attempts: 5 }, deadLetters, clock, log: silentLogger });
    expect(result).toEqual({ ok: true, value: 'done', attempts: 3 });
    expect(deadLetters.letters).toEqual([]);
  });

  it('sends the item to the dead-letter queue with its error after the last attempt', async () => {
    const deadLetters = sink();
    const metrics = createRuntimeMetrics({ processMetrics: false });
    const result = await runWithResilience(async () => { throw new Error('target says no'); },
      { item: { key: 'link:9', system: 'crm', payload: { eventId: 'e9' } }, retry: { ...fast, attempts: 3 }, deadLetters, clock, log: silentLogger, metrics });
    expect(result).toMatchObject({ ok: false, attempts: 3, deadLettered: true, circuitOpen: false });
    expect(deadLetters.letters).toEqual([{
      key: 'link:9', system: 'crm', payload: { eventId: 'e9' }, error: { message: 'target says no' }, attempts: 3, failedAt: '2026-03-01T12:00:00.000Z',
    }]);
    expect((await metrics.deadLetters.get()).values[0]).toMatchObject({ labels: { system: 'crm' }, value: 1 });
  });

  it('does not retry an error that retrying cannot fix', async () => {
    const deadLetters = sink();
    let calls = 0;
    const result = await runWithResilience(async () => { calls++; throw Object.assign(new Error('invalid email'), { kind: 'validation' }); },
      { item: { key: 'k', payload: {} }, retry: { ...fast, isRetryable: (e) => (e as { kind?: string }).kind !== 'validation' }, deadLetters, clock, log: silentLogger });
    expect(calls).toBe(1);
    expect(result.ok).toBe(false);
    expect(deadLetters.letters[0]?.error).toEqual({ message: 'invalid email', kind: 'validation' });
  });

  it('defers instead of dead-lettering while the system circuit is open', async () => {
    const deadLetters = sink();
    const circuits = createCircuitRegistry({ threshold: 2, halfOpenAfterMs: 60_000, log: silentLogger });
    const circuit = circuits.forSystem('crm');
    const failing = () => runWithResilience(async () => { throw new Error('down'); },
      { item: { key: 'k', system: 'crm', payload: {} }, retry: { ...fast, attempts: 1 }, circuit, deadLetters, clock, log: silentLogger });
    await failing();
    await failing();
    expect(circuits.state('crm')).toBe('open');
    let called = false;
    const result = await runWithResilience(async () => { called = true; }, { item: { key: 'k2', system: 'crm', payload: {} }, circuit, deadLetters, clock, log: silentLogger });
    expect(called).toBe(false);
    expect(result).toMatchObject({ ok: false, deadLettered: false, circuitOpen: true });
    expect(deadLetters.letters).toHaveLength(2);
  });
});
