/**
 * The seam to the dead-letter queue: where a work item goes after its last attempt. The store's
 * dead-letter repository is adapted to it (`store-dead-letter-sink.ts`).
 */
export interface DeadLetter {
  /** The work key (link or source record) the item was for. */
  key: string;
  /** The system whose call failed last, when known. */
  system?: string;
  /** The pair the item belongs to, when known. */
  pair?: string;
  /** What is needed to retry the item later (`concord dlq retry`). */
  payload: Record<string, unknown>;
  error: { message: string; code?: string; kind?: string };
  attempts: number;
  failedAt: string;
}

export interface DeadLetterSink {
  /** Stores the dead letter durably; a rejection means it was not stored. */
  add(letter: DeadLetter): Promise<void>;
}
