/**
 * Seeds that found defects, kept so the defects stay fixed:
 * - `try1`: inbox rows claimed by a daemon killed with SIGKILL waited out their 10-minute claim after the restart,
 *   so the run never quiesced (fixed by releasing a dead predecessor's claims at start, stale-claims.ts); and the
 *   rollback called Mailchimp's sorted tags and its "" merge fields "changed since", so creates and tag writes were
 *   never undone (fixed in rollback.ts); and the engine warned "not kept" for every tag write Mailchimp answered
 *   sorted (fixed in execute-plans.ts: a list merged as a set is kept in any order).
 * - `ci-cd2abf-sqlite-1`: a rollback that undid a create (removing its link) and, in the same run, a write to the
 *   linked record on the other side failed that second commit on the link's foreign key and left its write an open
 *   intent (fixed in rollback.ts: such an undo belongs to no link).
 * - `dbl1`: work on a new link started while the work that created it (keyed by the then unlinked record) still ran,
 *   so one link had two workers and a write was made twice from one read (fixed in inbox-consumer.ts: work on the
 *   link joins the unlinked record's key while that runs).
 * - `ci-61365a-postgres-1`: two unlinked records matching each other (one per side) were linked and written by two
 *   workers at once (fixed in inbox-consumer.ts: unlinked records of a pair share one key); and a member Mailchimp
 *   kept with its own address case made the write "not kept" and its rollback "changed since" (fixed in
 *   kept-as-written.ts: a match field compares under its normaliser).
 * - `ci-70de00-sqlite-1`: a 429 storm during start-up recovery left crash intents open until a restart that never
 *   came (fixed in recover-at-start.ts: the pair's work is held and its recovery tried again in the background, with
 *   backoff, until it succeeds; a fixed count of attempts had made the outcome depend on the machine's load).
 * - `ci-d6004f-postgres-1`: kill -9 between a Mailchimp member's create and its tags; recovery journaled the create
 *   with the tags it never got, so after the next sync added them the rollback called the members "changed since"
 *   and left them (fixed in recover-intents.ts: a write that landed in part is journaled with what landed; and
 *   rollback.ts lists writes of unknown outcome as undecided instead of skipping them).
 */
import { describe, expect, it as test } from 'vitest';
import { runScenario } from './chaos-run.js';
import { isPostgresReachable } from './chaos-world.js';

const postgres = await isPostgresReachable();
// The seeds run side by side (each has its own emulators, ports, store and daemon), so the file takes about as
// long as its slowest seed: a few minutes on a loaded 2-core machine, hence the generous bounds.
const it = test.concurrent;

describe('chaos seeds that found defects', () => {
  it('seed try1 quiesces after kill -9 and its rollback undoes every write nobody touched since', async () => {
    const result = await runScenario({ seed: 'try1', dialect: 'sqlite', steps: 20 });
    expect(result.stats.crashes).toBeGreaterThan(0);
    expect(result.findings).toEqual([]);
  }, 600_000);

  it('seed ci-cd2abf-sqlite-1 rolls back a create and the linked record\'s writes in one run, leaving no intent open', async () => {
    const result = await runScenario({ seed: 'ci-cd2abf-sqlite-1', dialect: 'sqlite' });
    expect(result.rollback?.errors).toEqual([]);
    expect(result.findings).toEqual([]);
  }, 600_000);

  it('seed dbl1 never writes one record twice from the same read', async () => {
    const result = await runScenario({ seed: 'dbl1', dialect: 'sqlite', steps: 6 });
    expect(result.findings).toEqual([]);
  }, 600_000);

  (postgres || process.env.CI ? it : it.skip)('seed ci-61365a-postgres-1 links a pair of matching unlinked records with one worker', async () => {
    const result = await runScenario({ seed: 'ci-61365a-postgres-1', dialect: 'postgres' });
    expect(result.findings).toEqual([]);
  }, 600_000);

  (postgres || process.env.CI ? it : it.skip)('seed ci-d6004f-postgres-1 rolls back the members Concord created when kill -9 cut their creates short', async () => {
    const result = await runScenario({ seed: 'ci-d6004f-postgres-1', dialect: 'postgres' });
    expect(result.stats.crashes).toBeGreaterThan(0);
    expect(result.rollback?.errors).toEqual([]);
    expect(result.findings).toEqual([]);
  }, 600_000);

  it('seed ci-70de00-sqlite-1 resolves every intent even when start-up recovery meets a 429 storm', async () => {
    const result = await runScenario({ seed: 'ci-70de00-sqlite-1', dialect: 'sqlite' });
    expect(result.findings).toEqual([]);
  }, 600_000);
});
