/**
 * The seam between webhook intake and the store: the smallest interface the webhook server needs.
 * The store's group-commit inbox writer is adapted to it (`store-inbox-sink.ts`); tests may pass a
 * real store or, before one exists, any object with this shape.
 */
import type { ObjectName } from '../../connectors/contract.js';
import type { RemoteId, SystemId } from '../../shared/ids.js';

/** One change event as it goes into the inbox. */
export interface InboxEvent {
  system: SystemId;
  object: ObjectName;
  remoteId: RemoteId;
  /** The provider's event id; the inbox drops an event whose (system, eventId) it already holds. */
  eventId: string;
  kind: 'upsert' | 'delete';
  occurredAt: string;
  /** Where the event came from. */
  source: 'webhook' | 'poll' | 'reconcile';
  /** Values carried by the event: hints, never truth. */
  fields?: Record<string, unknown>;
  receivedAt: string;
}

export interface AppendResult {
  /** Events that were new and are now durable. */
  stored: number;
  /** Events dropped because their event id was already in the inbox (or twice in this call). */
  duplicates: number;
}

export interface InboxSink {
  /**
   * Stores the events durably and resolves only after the commit. Calls that arrive together may
   * share one transaction (group commit); a rejection means nothing of this call was stored.
   */
  append(events: InboxEvent[]): Promise<AppendResult>;
}
