/**
 * `concord demo`: no accounts, no setup. Starts the HubSpot and Mailchimp emulators in-process, writes
 * a config for them (SQLite under ./.concord/demo), seeds a few hundred contacts on each side with
 * overlaps, starts the daemon in-process with the emulators' webhooks pointed at it, makes random edits
 * on both sides for about half a minute while showing live counts, waits for quiescence, checks that
 * both sides agree on every two-way field, and prints the audit summary and the HTML report's path.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pino } from 'pino';
import { createSeededRandom } from '../emulators/seeded-random.js';
import { formatHtml } from '../report/format-html.js';
import { loadReportData, summarise } from '../report/report-data.js';
import { startDaemon, type RunningDaemon } from '../runtime/daemon/daemon.js';
import { createLogger } from '../shared/logger.js';
import { checkAgreement, countOptOuts } from './demo-agreement.js';
import { makeRandomEdits } from './demo-edits.js';
import { startDemoEmulators } from './demo-emulators.js';
import { createProgressLine, formatCounts, liveCounts } from './demo-progress.js';
import { seedContacts } from './demo-seed.js';
import { writeDemoWorkspace } from './demo-workspace.js';

export interface DemoOptions {
  seconds: number;
  contacts: number;
  seed: string;
  /** Default is ./.concord/demo (emptied at start). */
  dir?: string;
  out?: NodeJS.WriteStream;
}

export interface DemoResult {
  agreed: boolean;
  reportPath: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until the daemon has nothing waiting twice in a row, with webhooks delivered. */
async function waitQuiet(daemon: RunningDaemon, webhooksIdle: () => Promise<void>, tick: () => Promise<void>, limitMs: number): Promise<boolean> {
  const until = Date.now() + limitMs;
  let quiet = 0;
  while (Date.now() < until) {
    await webhooksIdle();
    await tick();
    quiet = (await daemon.isIdle()) ? quiet + 1 : 0;
    if (quiet >= 3) return true;
    await sleep(300);
  }
  return false;
}

export async function runDemo(options: DemoOptions): Promise<DemoResult> {
  const out = options.out ?? process.stdout;
  const say = (line: string) => out.write(`${line}\n`);
  const dir = resolve(options.dir ?? join('.concord', 'demo'));
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const random = createSeededRandom(`demo:${options.seed}`);

  say(`Concord demo: HubSpot <-> Mailchimp contacts, seed "${options.seed}", ${options.contacts} contacts per side, ${options.seconds} s of edits`);
  // A HubSpot portal on a paid tier (190 calls per 10 s), so the demo's first sync does not take minutes.
  const emulators = await startDemoEmulators({ seed: options.seed, hubspotLimits: { burstPer10Seconds: 190 } });
  let daemon: RunningDaemon | undefined;
  try {
    const people = await seedContacts(emulators, random, options.contacts);
    say(`  seeded ${people.hubspot.length} HubSpot contacts and ${people.mailchimp.length} Mailchimp members, ${people.shared.length} of them on both sides`);
    const workspace = await writeDemoWorkspace({
      dir, hubspotBaseUrl: emulators.hubspotBaseUrl, mailchimpBaseUrl: emulators.mailchimpBaseUrl, hubspotPerSecond: 19,
    });
    const logFile = join(dir, 'daemon.log');
    const log = createLogger({ level: 'info', destination: pino.destination({ dest: logFile, sync: false, mkdir: true }) });
    const started = new Date().toISOString();
    daemon = await startDaemon({ configPath: workspace.configPath, log, exit: () => {}, retry: { attempts: 4, baseMs: 250 } });
    await emulators.deliverWebhooksTo(daemon.url);
    say(`  daemon on ${daemon.url} (log: ${logFile}), state in ${workspace.databaseUrl}`);
    const pair = daemon.mappings()[0]!.pair;

    const progress = createProgressLine(out);
    const show = async (phase: string) => progress.show(formatCounts(phase, await liveCounts(daemon!)));
    const ticker = (phase: string) => setInterval(() => { void show(phase).catch(() => {}); }, 250);

    let timer = ticker('first sync');
    await waitQuiet(daemon, () => emulators.webhooksIdle(), async () => {}, 120_000);
    clearInterval(timer);
    await show('first sync');
    progress.done();
    say(`  first sync done in ${Math.round((Date.now() - Date.parse(started)) / 1000)} s`);

    timer = ticker('editing');
    const endAt = Date.now() + options.seconds * 1000;
    const edits = await makeRandomEdits(emulators, random, people, () => Date.now() >= endAt);
    clearInterval(timer);
    await show('editing');
    progress.done();
    say(`  edits: ${edits.hubspot} in HubSpot, ${edits.mailchimp} in Mailchimp, ${edits.conflicting} on both sides at once, ${edits.unsubscribes} unsubscribes ` +
      `(${edits.hubspotOptOuts} opt-outs in HubSpot, ${edits.mailchimpUnsubscribes} in Mailchimp)${edits.refused > 0 ? `, ${edits.refused} refused by the products` : ''}`);

    timer = ticker('settling');
    // Quiet twice: once for the edits' webhooks, then after a poll that catches anything a webhook missed.
    await waitQuiet(daemon, () => emulators.webhooksIdle(), async () => {}, 120_000);
    await daemon.pollNow();
    const quiet = await waitQuiet(daemon, () => emulators.webhooksIdle(), async () => {}, 120_000);
    clearInterval(timer);
    await show('settled');
    progress.done();
    say(`  settled ${Math.round((Date.now() - endAt) / 1000)} s after the last edit`);
    if (!quiet) say('  warning: the daemon did not become quiet within two minutes');

    const agreement = await checkAgreement(daemon.session(), pair);
    const agreed = agreement.disagreements.length === 0;
    say(`  agreement: ${agreement.links} linked contacts, ${agreement.fieldsCompared} two-way field values compared, ` +
      `${agreed ? 'both sides agree on every one' : `${agreement.disagreements.length} DISAGREE`}`);
    for (const d of agreement.disagreements.slice(0, 10)) say(`    link ${d.linkId} ${d.field}: left ${JSON.stringify(d.left)} right ${JSON.stringify(d.right)}`);
    if (agreement.notCarried.length > 0) say(`  ${agreement.notCarried.length} values outside their field's transform, reported by the engine and not synced:`);
    for (const d of agreement.notCarried.slice(0, 10)) say(`    link ${d.linkId} ${d.field}: left ${JSON.stringify(d.left)} right ${JSON.stringify(d.right)}`);
    const optOuts = await countOptOuts(emulators);
    say(`  consent: ${optOuts.hubspot} HubSpot contacts opted out of all email, ${optOuts.mailchimp} of their Mailchimp members unsubscribed ` +
      `(and ${optOuts.mailchimpOnly} members only Mailchimp has)`);

    const data = await loadReportData(daemon.session().store, { since: started, pair }, new Date());
    const summary = summarise(data);
    say(`  audit: ${summary.changes} field changes on ${summary.records} records (` +
      `${Object.entries(summary.byReason).map(([k, v]) => `${k} ${v}`).join(', ') || 'none'}); ` +
      `${summary.failures} failed writes, ${summary.openConflicts} open conflicts`);
    for (const f of summary.topFields.slice(0, 5)) say(`    ${String(f.count).padStart(5)}  ${f.key}`);
    const reportPath = join(dir, 'report.html');
    await writeFile(reportPath, formatHtml(data), 'utf8');
    say(`  HTML report: ${reportPath}`);
    say(`  look around: npm run concord -- audit report -c ${workspace.configPath}   (or status, conflicts list, dlq list, explain)`);
    return { agreed, reportPath };
  } finally {
    await daemon?.stop('demo finished');
    await emulators.close();
  }
}
