/**
 * A system may give a record it creates values of its own (Mailchimp gives a new member a status when none is
 * sent). The create's base records those fields as sent (empty), so the target's value counts as a change there
 * and goes back to the source by the field's rule; processing the new links once more, right after the create,
 * lets that happen in the same pass instead of waiting for the record's next change (a system need not announce
 * the records an integration creates).
 */
import type { EngineDeps } from '../engine-deps.js';
import type { ItemResult } from './execute-plans.js';
import type { ItemPlan } from './item-plan.js';

/** Whether the create in `plan` left out a mapped field, which the target may then have filled in itself. */
function leftFieldsOut(deps: EngineDeps, plan: ItemPlan): boolean {
  const create = plan.writes.find((w) => w.op === 'create');
  if (!create) return false;
  const sent = new Set(create.changes.map((c) => c.fieldId));
  return deps.mapping.fields.some((f) => !sent.has(f.id));
}

/** The work items of the links just made by creates that left fields out. */
export function createdToSettle(deps: EngineDeps, results: readonly ItemResult[]): Array<{ side: 'left' | 'right'; id: NonNullable<ItemPlan['seen']['left']>['id'] }> {
  return results
    .filter((r) => r.outcome === 'committed' && r.linkId !== null && leftFieldsOut(deps, r.plan))
    .flatMap((r) => (['left', 'right'] as const).flatMap((side) => (r.plan.seen[side] ? [{ side, id: r.plan.seen[side]!.id }] : [])));
}
