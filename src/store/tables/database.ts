import type { AuditHeadTable, AuditTable } from './audit-tables.js';
import type { ConflictsTable, DeadLettersTable } from './operator-queues-tables.js';
import type { LeasesTable, PairStateTable, TokensTable } from './control-tables.js';
import type { CursorsTable, InboxTable } from './intake-tables.js';
import type { BatchesTable, JournalTable } from './journal-tables.js';
import type { LinksTable, RecordShadowsTable, ShadowsTable } from './links-tables.js';

/** The state database of DESIGN §6, as Kysely sees it. */
export interface Database {
  links: LinksTable;
  shadows: ShadowsTable;
  record_shadows: RecordShadowsTable;
  cursors: CursorsTable;
  inbox: InboxTable;
  journal: JournalTable;
  batches: BatchesTable;
  audit: AuditTable;
  audit_head: AuditHeadTable;
  conflicts: ConflictsTable;
  dead_letters: DeadLettersTable;
  tokens: TokensTable;
  leases: LeasesTable;
  pair_state: PairStateTable;
}
