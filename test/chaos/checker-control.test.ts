/**
 * The checker can fail: a control scenario runs as usual, then a divergence, a duplicate create and an unjournaled
 * write are planted behind Concord's back, and the checker must report each one, naming the record.
 */
import { expect, it } from 'vitest';
import { runScenario } from './chaos-run.js';
import { plantEverything, type Planted } from './plants.js';

it('reports a planted divergence, a planted duplicate create and a planted unjournaled write', async () => {
  const planted: Planted = {};
  const result = await runScenario({ seed: 'control', dialect: 'sqlite', steps: 8, plant: plantEverything(planted), skipRollback: true });
  const details = (kind: string) => result.findings.filter((f) => f.kind === kind).map((f) => f.detail);

  expect(planted.divergence && planted.duplicate && planted.unjournaled).toBeTruthy();
  expect(details('divergence').some((d) => d.includes(planted.divergence!.mailchimpId) && d.includes('firstname') && d.includes('"Planted"'))).toBe(true);
  expect(details('duplicate').some((d) => d.includes(planted.duplicate!.email) && d.includes('2 applied creates'))).toBe(true);
  expect(details('unjournaled').some((d) => d.includes(`hubspot ${planted.unjournaled!.hubspotId} `) && d.includes('"Mallory"'))).toBe(true);
}, 240_000);
