/**
 * A list of transforms applied in order towards the right and in reverse order towards the left. The first step
 * that fails ends the conversion with that step's result, its message prefixed by the step's name.
 *
 * Declared invertible when every step is: each step's output is a fixed point of the step's own round trip, and a
 * value that crossed the whole chain meets each step only in forms that step produced. The property tests check
 * generated chains of invertible steps.
 */
import type { CompiledTransform, Converted, TransformContext } from '../compiled-types.js';

type Step = (value: unknown, ctx: TransformContext) => Converted | Promise<Converted>;

function run(steps: Step[], names: string[], value: unknown, ctx: TransformContext, from = 0): Converted | Promise<Converted> {
  let current = value;
  for (let i = from; i < steps.length; i += 1) {
    const result = steps[i]!(current, ctx);
    if (result instanceof Promise) {
      return result.then((r) => (r.ok ? run(steps, names, r.value, ctx, i + 1) : prefixed(r, names[i]!)));
    }
    if (!result.ok) return prefixed(result, names[i]!);
    current = result.value;
  }
  return { ok: true, value: current };
}

function prefixed(result: Converted & { ok: false }, name: string): Converted {
  return { ...result, message: `step ${name}: ${result.message}` };
}

export function createChain(transforms: CompiledTransform[]): CompiledTransform {
  const firstNotInvertible = transforms.find((t) => !t.invertible);
  const rightSteps = transforms.map((t) => t.toRight.bind(t));
  const leftSteps = [...transforms].reverse().map((t) => t.toLeft.bind(t));
  const names = transforms.map((t) => t.name);
  const reversedNames = [...names].reverse();
  return {
    name: names.join(' | '),
    invertible: firstNotInvertible === undefined,
    ...(firstNotInvertible
      ? { notInvertibleBecause: `step ${firstNotInvertible.name} is not invertible: ${firstNotInvertible.notInvertibleBecause ?? 'it has no inverse'}` }
      : {}),
    toRight: (value, ctx) => run(rightSteps, names, value, ctx),
    toLeft: (value, ctx) => run(leftSteps, reversedNames, value, ctx),
  };
}
