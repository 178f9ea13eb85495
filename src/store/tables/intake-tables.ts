import type { Generated } from 'kysely';

/** Where polling resumes, per system and object. */
export interface CursorsTable {
  system: string;
  object: string;
  cursor: string;
  updated_at: string;
}

/** Change events waiting to be processed: webhook hints and poll results alike. */
export interface InboxTable {
  id: Generated<number>;
  system: string;
  object: string;
  remote_id: string;
  /** The provider's event id; (system, event_id) is unique, which drops duplicates. */
  event_id: string;
  kind: string;
  occurred_at: string | null;
  /** Fields the event carried (JSON text), a hint only. */
  payload: string | null;
  received_at: string;
  /** Set while a worker holds the event; an expired claim can be taken by another worker. */
  claimed_by: string | null;
  claimed_until: string | null;
  processed_at: string | null;
}
