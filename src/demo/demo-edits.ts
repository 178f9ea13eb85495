/**
 * Random edits on both sides while the daemon runs, made through the emulators' admin API as users of
 * each product would make them (so the products send their webhooks): name, phone and company changes
 * on either side, the same field changed on both sides at nearly the same time (a conflict), and
 * unsubscribes on either side: a person opting out of all email in HubSpot or unsubscribing in Mailchimp.
 * Nobody who opted out is re-subscribed: neither product lets an integration do it, and a person opting
 * back in is outside what Concord may propagate, so such an edit could never converge.
 */
import type { SeededRandom } from '../emulators/seeded-random.js';
import type { DemoEmulators } from './demo-emulators.js';
import { personName, phoneNumber, type SeededPeople } from './demo-seed.js';

export interface EditCounts {
  hubspot: number;
  mailchimp: number;
  conflicting: number;
  /** Opt-outs made by people, on either side; the two below split them. */
  unsubscribes: number;
  hubspotOptOuts: number;
  mailchimpUnsubscribes: number;
  refused: number;
}

interface HubspotRecord { id: string; properties: Record<string, unknown> }

export async function makeRandomEdits(
  emulators: DemoEmulators, random: SeededRandom, people: SeededPeople, until: () => boolean, pauseMs = 60,
): Promise<EditCounts> {
  const counts: EditCounts = { hubspot: 0, mailchimp: 0, conflicting: 0, unsubscribes: 0, hubspotOptOuts: 0, mailchimpUnsubscribes: 0, refused: 0 };
  const optedOut = new Set(people.optedOut);
  const listed = await emulators.admin('hubspot', 'GET', 'records/contacts');
  const all = (listed.body as { result?: HubspotRecord[] }).result ?? [];
  const hubspotIdByEmail = new Map(all.map((r) => [String(r.properties.email ?? '').toLowerCase(), r.id]));
  const pick = <T>(items: readonly T[]): T => items[random.int(items.length)]!;
  const editHubspot = async (email: string, properties: Record<string, string>) => {
    const id = hubspotIdByEmail.get(email);
    if (!id) return false;
    const res = await emulators.admin('hubspot', 'PATCH', `records/contacts/${id}`, { properties });
    if (res.status >= 300) counts.refused += 1;
    return res.status < 300;
  };
  const editMailchimp = async (email: string, changes: Record<string, unknown>) => {
    const res = await emulators.admin('mailchimp', 'PATCH', `records/members/${encodeURIComponent(email)}`, changes);
    if (res.status >= 300) counts.refused += 1;
    return res.status < 300;
  };
  while (!until()) {
    const roll = random.next();
    if (roll < 0.35) {
      const email = pick(people.hubspot);
      const change: Record<string, string> = random.chance(0.5) ? { firstname: personName(random).first } : random.chance(0.5) ? { phone: phoneNumber(random) } : { lastname: personName(random).last };
      if (await editHubspot(email, change)) counts.hubspot += 1;
    } else if (roll < 0.7) {
      const email = pick(people.mailchimp);
      const change = random.chance(0.5) ? { FNAME: personName(random).first } : { LNAME: personName(random).last };
      if (await editMailchimp(email, { merge_fields: change })) counts.mailchimp += 1;
    } else if (roll < 0.9 && people.shared.length > 0) {
      // Both users change the same person's first name within moments of each other.
      const email = pick(people.shared);
      const a = personName(random).first;
      const b = personName(random).first;
      const [x, y] = await Promise.all([editHubspot(email, { firstname: a }), editMailchimp(email, { merge_fields: { FNAME: b } })]);
      if (x && y) counts.conflicting += 1;
    } else {
      // Someone still subscribed opts out where they happen to be: HubSpot for its contacts, Mailchimp for its members.
      const inHubspot = random.chance(0.5);
      const candidates = (inHubspot ? people.hubspot : people.mailchimp).filter((e) => !optedOut.has(e));
      if (candidates.length > 0) {
        const email = pick(candidates);
        const done = inHubspot ? await editHubspot(email, { hs_email_optout: 'true' }) : await editMailchimp(email, { status: 'unsubscribed' });
        if (done) {
          optedOut.add(email);
          counts.unsubscribes += 1;
          if (inHubspot) counts.hubspotOptOuts += 1;
          else counts.mailchimpUnsubscribes += 1;
        }
      }
    }
    await new Promise((resolve) => setTimeout(resolve, pauseMs));
  }
  return counts;
}
