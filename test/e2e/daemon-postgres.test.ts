/**
 * `concord run` end to end on Postgres (a database of its own, created and dropped by the test): the
 * first sync and a change carried by webhook, as on SQLite.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createEmptyPostgresDatabase } from '../support/db.js';
import { describeOnDialect } from '../support/db.js';
import { eventually, startDaemonWorld, type DaemonWorld } from '../integration/runtime/daemon-process.js';

describeOnDialect('postgres', 'concord run against the emulators', () => {
  let world: DaemonWorld;
  let dropDatabase: () => Promise<void>;

  beforeAll(async () => {
    const db = await createEmptyPostgresDatabase();
    dropDatabase = db.dispose;
    world = await startDaemonWorld({
      databaseUrl: db.url,
      seed: {
        hubspot: [{ properties: { email: 'ada@example.com', firstname: 'Ada', lastname: 'Lovelace', lifecyclestage: 'lead' } }],
        mailchimp: [{ email_address: 'ada@example.com', status: 'subscribed', merge_fields: { FNAME: 'Ada', LNAME: 'Lovelace' } }],
      },
    });
  });
  afterAll(async () => {
    await world?.stop();
    await world?.close();
    await dropDatabase?.();
  });

  it('links by email on the first sync and carries a change by webhook', async () => {
    await eventually('LIFECYCLE lead in Mailchimp', async () => (await world.member('ada@example.com'))?.merge_fields.LIFECYCLE === 'lead');
    expect(await world.members()).toHaveLength(1);
    const ada = (await world.contact('ada@example.com'))!;
    await world.emulators.admin('hubspot', 'PATCH', `records/contacts/${ada.id}`, { properties: { lastname: 'King' } });
    await eventually('LNAME King in Mailchimp', async () => (await world.member('ada@example.com'))?.merge_fields.LNAME === 'King');
    expect(await world.stop()).toEqual({ code: 0, signal: null });
  });
});
