/**
 * A few hundred contacts on each side with overlaps: a third of each side's people are also on the
 * other side (matched by email, with the case of the address differing now and then, and sometimes a
 * different first name, which the first sync settles), the rest exist on one side only. Seeded through
 * the emulators' admin API without webhooks: this is the data that was there before Concord ran.
 *
 * Consent is seeded only where it can converge, since neither product lets an integration undo an opt-out:
 * every HubSpot contact has its opt-out recorded (`false` as a form with a consent checkbox leaves it, or
 * `true`); a HubSpot opt-out is seeded on a contact only HubSpot has (it reaches Mailchimp as an unsubscribed
 * member) or on a shared one whose member is unsubscribed too, never against a subscribed member, which
 * Concord could only settle by re-subscribing someone. A Mailchimp unsubscribe may face a HubSpot `false`:
 * it reaches HubSpot as an opt-out.
 */
import type { SeededRandom } from '../emulators/seeded-random.js';
import type { DemoEmulators } from './demo-emulators.js';

const firstNames = ['Ada', 'Alan', 'Grace', 'Edsger', 'Barbara', 'Donald', 'Frances', 'Ken', 'Margaret', 'Dennis', 'Radia', 'Tim', 'Hedy', 'John', 'Karen', 'Niklaus'];
const lastNames = ['Lovelace', 'Turing', 'Hopper', 'Dijkstra', 'Liskov', 'Knuth', 'Allen', 'Thompson', 'Hamilton', 'Ritchie', 'Perlman', 'Berners-Lee', 'Lamarr', 'Backus', 'Jones', 'Wirth'];
const companies = ['Analytical Engines', 'Bletchley Park', 'Cobol Works', 'Mathematisch Centrum', 'MIT', 'Stanford', 'IBM', 'Bell Labs', 'NASA', 'CERN'];
export const lifecycleStages = ['lead', 'marketingqualifiedlead', 'customer'] as const;

export interface SeededPeople {
  /** Emails on HubSpot, on Mailchimp, and on both. */
  hubspot: string[];
  mailchimp: string[];
  shared: string[];
  /** Emails opted out at the start: HubSpot opt-outs and Mailchimp unsubscribes (shared people once). */
  optedOut: string[];
}

const pick = <T>(random: SeededRandom, items: readonly T[]): T => items[random.int(items.length)]!;

export function personName(random: SeededRandom): { first: string; last: string } {
  return { first: pick(random, firstNames), last: pick(random, lastNames) };
}

export function phoneNumber(random: SeededRandom): string {
  return `+1415555${String(1000 + random.int(9000))}`;
}

export async function seedContacts(emulators: DemoEmulators, random: SeededRandom, perSide: number): Promise<SeededPeople> {
  const shared = Math.floor(perSide / 3);
  const people: SeededPeople = { hubspot: [], mailchimp: [], shared: [], optedOut: [] };
  const hubspotRecords: unknown[] = [];
  const mailchimpRecords: unknown[] = [];
  for (let i = 0; i < perSide * 2 - shared; i++) {
    const { first, last } = personName(random);
    const email = `${first}.${last}.${i}@example.com`.toLowerCase();
    const onHubspot = i < perSide;
    const onMailchimp = i >= perSide - shared;
    const company = pick(random, companies);
    const unsubscribedInMailchimp = onMailchimp && random.chance(0.1);
    // A HubSpot opt-out only where Mailchimp cannot hold the opposite: no member yet, or one already unsubscribed.
    const optedOutInHubspot = onHubspot && (onMailchimp ? unsubscribedInMailchimp && random.chance(0.5) : random.chance(0.08));
    if (onHubspot) {
      people.hubspot.push(email);
      hubspotRecords.push({ properties: {
        email, firstname: first, lastname: last, company, phone: phoneNumber(random), lifecyclestage: pick(random, lifecycleStages),
        hs_email_optout: optedOutInHubspot ? 'true' : 'false',
      } });
    }
    if (onMailchimp) {
      people.mailchimp.push(email);
      const renamed = onHubspot && random.chance(0.2) ? pick(random, firstNames) : first;
      const address = onHubspot && random.chance(0.3) ? email.replace(/^./, (c) => c.toUpperCase()) : email;
      mailchimpRecords.push({ email_address: address, status: unsubscribedInMailchimp ? 'unsubscribed' : 'subscribed', merge_fields: { FNAME: renamed, LNAME: last, COMPANY: company } });
    }
    if (optedOutInHubspot || unsubscribedInMailchimp) people.optedOut.push(email);
    if (onHubspot && onMailchimp) people.shared.push(email);
  }
  for (let i = 0; i < hubspotRecords.length; i += 100) {
    const res = await emulators.admin('hubspot', 'POST', 'records/contacts', { records: hubspotRecords.slice(i, i + 100), notify: false });
    if (res.status >= 300) throw new Error(`seeding HubSpot failed: ${JSON.stringify(res.body)}`);
  }
  for (let i = 0; i < mailchimpRecords.length; i += 100) {
    const res = await emulators.admin('mailchimp', 'POST', 'records/members', { records: mailchimpRecords.slice(i, i + 100), notify: false });
    if (res.status >= 300) throw new Error(`seeding Mailchimp failed: ${JSON.stringify(res.body)}`);
  }
  return people;
}
