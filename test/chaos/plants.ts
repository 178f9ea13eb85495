/**
 * What the control run does behind Concord's back after quiescence, so the checker has something it must report:
 * a person's edit on one side that Concord never gets to sync (a divergence), a second applied create for an email
 * Concord already created (a duplicate create, as the journal would show one), and a write through the provider's
 * API with Concord's own credentials that no journal row records (an unjournaled write).
 */
import { completeJournal, listJournal, recordIntent } from '../../src/store/journal.js';
import { listLinks } from '../../src/store/links.js';
import type { Plant } from './chaos-run.js';
import { pairName } from './convergence-checker.js';
import { normalizeEmail } from './pair-fields.js';

export interface Planted {
  divergence?: { mailchimpId: string };
  duplicate?: { email: string };
  unjournaled?: { hubspotId: string };
}

export function plantEverything(planted: Planted): Plant {
  return async (world, store, edits) => {
    const links = await listLinks(store.db, pairName, { limit: 1000 });
    const hs = (await world.admin('hubspot', 'GET', 'records/contacts')).body as { result: Array<{ id: string; archived: boolean; properties: Record<string, string> }> };
    const mc = (await world.admin('mailchimp', 'GET', 'records/members')).body as { result: Array<{ id: string; status: string; email_address: string }> };
    const live = links.filter((l) => hs.result.some((r) => r.id === l.leftId && !r.archived) && mc.result.some((m) => m.id === l.rightId && m.status !== 'archived'));
    if (live.length < 2) throw new Error(`the control run needs two live links, found ${live.length}`);

    const diverged = live[0]!;
    const member = mc.result.find((m) => m.id === diverged.rightId)!;
    const res = await world.admin('mailchimp', 'PATCH', `records/members/${member.id}`, { merge_fields: { FNAME: 'Planted' } });
    if (res.status >= 300) throw new Error(`planting a divergence failed: ${JSON.stringify(res.body)}`);
    edits.push({ at: Date.now(), system: 'mailchimp', email: normalizeEmail(member.email_address), values: { firstname: 'Planted' } });
    planted.divergence = { mailchimpId: member.id };

    const created = (await listJournal(store.db, { pair: pairName, states: ['applied'] })).find((j) => j.op === 'create');
    if (!created) throw new Error('the control run needs a create Concord made');
    const again = await recordIntent(store.db, {
      batchId: created.batchId, pair: pairName, linkId: created.linkId, system: created.system, object: created.object, remoteId: created.remoteId,
      op: 'create', before: {}, ...(created.after ? { after: created.after } : {}), idempotencyKey: `planted-${created.idempotencyKey}`, now: new Date(),
    });
    await completeJournal(store.db, again.entry.id, {
      state: 'applied', ...(created.after ? { after: created.after } : {}), versionAfter: created.versionAfter, ...(created.remoteId ? { remoteId: created.remoteId } : {}), now: new Date(),
    });
    const after = created.after as { matchKey?: { value?: string } } | undefined;
    planted.duplicate = { email: normalizeEmail(String(after?.matchKey?.value ?? '')) };

    const target = live[1]!;
    const write = await world.api('hubspot', 'PATCH', `/crm/v3/objects/contacts/${target.leftId}`, { properties: { lastname: 'Mallory' } });
    if (write.status >= 300) throw new Error(`the unjournaled write failed: ${JSON.stringify(write.body)}`);
    planted.unjournaled = { hubspotId: target.leftId };
  };
}
