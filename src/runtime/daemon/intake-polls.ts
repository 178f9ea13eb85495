/**
 * Fallback polling: one poll job per intake (system, object, params) that some pair maps, on the
 * schedule of the first pair that maps it. A poll reads what changed since the stored cursor minus an
 * overlap window (a record modified while the previous poll ran is read again, never missed), and
 * stores each page's records in the inbox together with the page's cursor in one transaction.
 *
 * Every record read goes to the inbox (the inbox drops a version it already holds, so the overlap costs
 * nothing twice); the engine's base makes Concord's own writes coming back no-ops. A record at the
 * version Concord's last write left is not counted as a change; one that no webhook announced
 * (no webhook event for that record since shortly before its modification) counts for the dead-man's
 * switch.
 */
import type { SystemConnection } from '../../engine/session/engine-session.js';
import type { CompiledMapping, Side } from '../../mapping/compiled-types.js';
import type { Clock } from '../../shared/clock.js';
import { asCursor, type Cursor } from '../../shared/ids.js';
import type { Logger } from '../../shared/logger.js';
import type { Db } from '../../store/database.js';
import { loadCursor, saveCursor } from '../../store/cursors.js';
import { findLinksBySide } from '../../store/links.js';
import { insertInboxEvents, type InboxEvent } from '../../store/inbox.js';
import { withTransaction } from '../../store/transaction.js';
import type { PollJob, PollOutcome } from '../poll/poll-scheduler.js';
import { intakeKey } from './pair-routing.js';

export interface IntakePollOptions {
  db: Db;
  connection: (system: string) => SystemConnection | undefined;
  clock: Clock;
  log: Logger;
  /** Re-read this much before the stored cursor. Default is 60 000 ms. */
  overlapMs?: number;
  /** A webhook counts as announcing a change when received at most this long before the change's time. Default is 120 000 ms. */
  announceSlackMs?: number;
  /** Told after a page was stored, to wake the inbox consumer. */
  onStored?: () => void;
}

interface Intake {
  pair: string;
  side: Side;
  mapping: CompiledMapping;
  key: string;
}

/** The intakes of the running mappings, one per (system, object, params), first pair wins. */
export function intakesOf(mappings: Iterable<CompiledMapping>, enabled: (system: string) => boolean): Intake[] {
  const byKey = new Map<string, Intake>();
  for (const m of [...mappings].sort((a, b) => (a.pair < b.pair ? -1 : 1))) {
    if (!enabled(m.left.system) || !enabled(m.right.system)) continue;
    for (const side of ['left', 'right'] as const) {
      const key = `${m[side].system}/${intakeKey(m[side])}`;
      if (!byKey.has(key)) byKey.set(key, { pair: m.pair, side, mapping: m, key });
    }
  }
  return [...byKey.values()];
}

export function createIntakePollJobs(options: IntakePollOptions, intakes: Intake[]): PollJob[] {
  const overlapMs = options.overlapMs ?? 60_000;
  const slackMs = options.announceSlackMs ?? 120_000;
  return intakes.map((intake): PollJob => {
    const side = intake.mapping[intake.side];
    const conn = options.connection(side.system);
    return {
      pair: intake.pair,
      object: `${side.system}/${intakeKey(side)}`,
      cursorKey: intake.key,
      schedule: intake.mapping.poll,
      webhooks: conn?.connector.capabilities.webhooks === true,
      async pollOnce(signal): Promise<PollOutcome> {
        if (!conn) return { changes: 0, unannounced: 0 };
        const objectKey = intakeKey(side);
        const stored = await loadCursor(options.db, side.system, objectKey);
        const from: Cursor | null = stored === null ? null
          : conn.connector.capabilities.cursorKind === 'timestamp' && !Number.isNaN(Date.parse(stored))
            ? asCursor(new Date(Date.parse(stored) - overlapMs).toISOString()) : stored;
        const ctx = {
          log: options.log.child({ system: side.system }), signal, http: conn.http, clock: options.clock, params: side.params,
        };
        let changes = 0;
        let unannounced = 0;
        let newest: string | undefined;
        for await (const page of conn.connector.listChanged(side.object, from, ctx)) {
          const events: InboxEvent[] = [];
          const ownWrites = new Set<number>();
          // One query per page, not one per record: most of a quiet poll is the overlap window read again.
          const agreed = await agreedVersions(options.db, intake.pair, intake.side, page.records.map((r) => r.id));
          for (const r of page.records) {
            // The version Concord's last write left: the record is processed anyway (a write without a
            // version check may have carried someone else's change along), but it is not news a webhook missed.
            if (agreed.get(r.id) === r.version) ownWrites.add(events.length);
            events.push({
              system: side.system, object: side.object, remoteId: r.id, eventId: `poll:${r.id}:${r.version}`,
              kind: r.deleted ? 'delete' : 'upsert', occurredAt: r.modifiedAt, fields: { ...side.params },
            });
            if (!newest || r.modifiedAt > newest) newest = r.modifiedAt;
          }
          const inserted = await withTransaction(options.db, async (trx) => {
            const result = await insertInboxEvents(trx, events, options.clock.now());
            await saveCursor(trx, side.system, objectKey, page.nextCursor, options.clock.now());
            return result;
          });
          const fresh = events.filter((_e, i) => inserted.isNew[i] && !ownWrites.has(i));
          changes += fresh.length;
          // The first poll reads what was there before Concord ran: nothing a webhook could have announced.
          if (stored !== null && fresh.length > 0) {
            const lastWebhook = await lastWebhookAt(options.db, side.system, side.object, fresh.map((e) => e.remoteId));
            for (const e of fresh) if (!announced(e, lastWebhook.get(e.remoteId), slackMs)) unannounced += 1;
          }
          if (inserted.inserted > 0) options.onStored?.();
          options.log.debug({ event: 'poll:page:checkpointed', system: side.system, object: objectKey, records: page.records.length, stored: fresh.length }, 'poll page stored');
          if (page.done) break;
        }
        return { changes, unannounced, ...(newest ? { newestChangeAt: newest } : {}) };
      },
    };
  });
}

/**
 * The version of each linked record as Concord's last agreement on it left it (the record shadow),
 * keyed by that side's id; records without a link or a base are absent. Two indexed reads, links by
 * side and record shadows by link: a join let the planners scan record_shadows whole, and the field
 * shadows `loadShadows` also returns are not needed here.
 */
async function agreedVersions(db: Db, pair: string, side: Side, ids: readonly string[]): Promise<Map<string, string>> {
  const links = await findLinksBySide(db, pair, side, ids);
  const remoteIdOf = new Map<string, string>([...links].map(([remoteId, link]) => [link.id, remoteId]));
  const linkIds = [...remoteIdOf.keys()];
  const out = new Map<string, string>();
  // Chunks keep the bound parameters under SQLite's limit, as the store's batched reads do.
  for (let i = 0; i < linkIds.length; i += 500) {
    const rows = await db.selectFrom('record_shadows').select(['link_id', 'left_version', 'right_version'])
      .where('link_id', 'in', linkIds.slice(i, i + 500)).execute();
    for (const row of rows) {
      const version = side === 'left' ? row.left_version : row.right_version;
      if (version !== null) out.set(remoteIdOf.get(row.link_id)!, version);
    }
  }
  return out;
}

/**
 * When the last webhook event (not a poll's or a reconcile's) for each record arrived, keyed by remote id;
 * records without one are absent. One read per page, not one per changed record.
 */
async function lastWebhookAt(db: Db, system: string, object: string, remoteIds: readonly string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const ids = [...new Set(remoteIds)];
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await db.selectFrom('inbox').select('remote_id').select((eb) => eb.fn.max('received_at').as('last'))
      .where('system', '=', system).where('object', '=', object).where('remote_id', 'in', ids.slice(i, i + 500))
      .where('event_id', 'not like', 'poll:%').where('event_id', 'not like', 'reconcile:%')
      .groupBy('remote_id').execute();
    for (const row of rows) if (row.last !== null) out.set(row.remote_id, String(row.last));
  }
  return out;
}

/** Whether a webhook event for the record arrived since shortly before the change. */
function announced(e: InboxEvent, lastWebhook: string | undefined, slackMs: number): boolean {
  if (lastWebhook === undefined) return false;
  const since = new Date(Date.parse(e.occurredAt ?? '1970-01-01T00:00:00Z') - slackMs).toISOString();
  return lastWebhook >= since;
}
