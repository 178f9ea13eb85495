import { z } from 'zod';
import type { SeededRandom } from './seeded-random.js';

/**
 * Faults an operator or a test switches on at run time, per route or for every route.
 * - `error`: answer with `status` (default 500) in the provider's error shape.
 * - `rate-limit`: answer 429 in the provider's shape, with `Retry-After: retryAfterSeconds` when given.
 * - `hang`: never answer (the client's timeout fires); the socket is freed when the emulator closes.
 * - `slow`: wait `delayMs`, then answer normally.
 * - `disconnect`: destroy the socket without an answer (connection reset).
 */
export const faultRuleSchema = z.strictObject({
  /** A route name as listed by `GET /__emulator/requests` (e.g. `GET /3.0/ping`), or `*` for all. Default is `*`. */
  route: z.string().min(1).default('*'),
  kind: z.enum(['error', 'rate-limit', 'hang', 'slow', 'disconnect']),
  status: z.number().int().min(400).max(599).optional(),
  /** Chance that one matching request is hit. Default is 1. */
  probability: z.number().min(0).max(1).default(1),
  /** How many requests this rule may still hit; absent means no limit. */
  count: z.number().int().min(0).optional(),
  delayMs: z.number().int().min(0).max(600_000).optional(),
  retryAfterSeconds: z.number().int().min(0).optional(),
});

export type FaultRuleInput = z.input<typeof faultRuleSchema>;
export type FaultRule = z.output<typeof faultRuleSchema>;

export interface FaultInjector {
  /** Replaces every rule. */
  set(rules: FaultRule[]): void;
  add(rule: FaultRule): void;
  clear(): void;
  list(): FaultRule[];
  /** The rule that hits this request, if any; a hit uses up one of the rule's `count`. */
  decide(routeName: string): FaultRule | undefined;
}

export function createFaultInjector(random: SeededRandom): FaultInjector {
  let rules: FaultRule[] = [];
  return {
    set: (next) => { rules = next.map((r) => ({ ...r })); },
    add: (rule) => { rules.push({ ...rule }); },
    clear: () => { rules = []; },
    list: () => rules.map((r) => ({ ...r })),
    decide(routeName) {
      for (const rule of rules) {
        if (rule.route !== '*' && rule.route !== routeName) continue;
        if (rule.count !== undefined && rule.count <= 0) continue;
        // The roll happens only for matching rules, so one route's traffic does not shift another's luck.
        if (!random.chance(rule.probability)) continue;
        if (rule.count !== undefined) rule.count -= 1;
        return rule;
      }
      return undefined;
    },
  };
}
