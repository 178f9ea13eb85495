/**
 * The webhook server's `InboxSink` on the store's group-commit inbox writer: requests that arrive
 * together share one transaction, and each answer waits for its group's commit.
 */
import type { InboxWriter } from '../../store/inbox-writer.js';
import type { InboxSink } from '../http/inbox-sink.js';

export function createStoreInboxSink(writer: InboxWriter): InboxSink {
  return {
    async append(events) {
      const result = await writer.write(events.map((e) => ({
        system: e.system,
        object: e.object,
        remoteId: e.remoteId,
        eventId: e.eventId,
        kind: e.kind,
        occurredAt: e.occurredAt,
        ...(e.fields ? { fields: e.fields } : {}),
      })));
      return { stored: result.inserted, duplicates: events.length - result.inserted };
    },
  };
}
