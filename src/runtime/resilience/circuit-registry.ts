/**
 * One circuit breaker per system (DESIGN §8): after `threshold` consecutive failures the system's
 * calls are refused at once for `halfOpenAfterMs`, then one probe call decides whether it closes
 * again. Other systems are not affected. State changes feed the `concord_circuit_state` gauge and
 * `/readyz`.
 */
import { CircuitState, ConsecutiveBreaker, circuitBreaker, handleWhen, type CircuitBreakerPolicy } from 'cockatiel';
import type { Logger } from '../../shared/logger.js';
import type { ReadinessProbe } from '../http/health-routes.js';
import { circuitStateValue, runtimeEvents, type RuntimeMetrics } from '../metrics.js';

export type CircuitStateName = 'closed' | 'open' | 'half-open';

export interface CircuitRegistryOptions {
  /** Consecutive failures that open a circuit. Default is 5. */
  threshold?: number;
  /** Cool-down before a probe call. Default is 30 000 ms. */
  halfOpenAfterMs?: number;
  /** Which errors count as the system failing. Default is every error. */
  isFailure?: (error: Error) => boolean;
  log: Logger;
  metrics?: RuntimeMetrics;
}

export interface CircuitRegistry {
  forSystem(system: string): CircuitBreakerPolicy;
  state(system: string): CircuitStateName;
  /** One readiness probe per system seen so far: ready unless its circuit is open. */
  probes(): ReadinessProbe[];
}

function nameOf(state: CircuitState): CircuitStateName {
  if (state === CircuitState.HalfOpen) return 'half-open';
  return state === CircuitState.Closed ? 'closed' : 'open';
}

export function createCircuitRegistry(options: CircuitRegistryOptions): CircuitRegistry {
  const circuits = new Map<string, CircuitBreakerPolicy>();
  const forSystem = (system: string) => {
    let circuit = circuits.get(system);
    if (!circuit) {
      circuit = circuitBreaker(handleWhen(options.isFailure ?? (() => true)), {
        halfOpenAfter: options.halfOpenAfterMs ?? 30_000,
        breaker: new ConsecutiveBreaker(options.threshold ?? 5),
      });
      circuit.onStateChange((state) => {
        const name = nameOf(state);
        options.metrics?.circuitState.set({ system }, circuitStateValue[name]);
        const line = { event: runtimeEvents.circuitChanged, system, state: name };
        if (name === 'open') options.log.warn(line, `circuit of ${system} opened: calls refused until a probe succeeds`);
        else options.log.info(line, `circuit of ${system} is ${name}`);
      });
      options.metrics?.circuitState.set({ system }, 0);
      circuits.set(system, circuit);
    }
    return circuit;
  };
  const state = (system: string): CircuitStateName => {
    const circuit = circuits.get(system);
    return circuit ? nameOf(circuit.state) : 'closed';
  };
  return {
    forSystem,
    state,
    probes: () => [...circuits.keys()].map((system) => ({
      name: `system:${system}`,
      check: async () => {
        const s = state(system);
        return { ok: s !== 'open', detail: `circuit ${s}` };
      },
    })),
  };
}
