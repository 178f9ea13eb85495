/** `/readyz`'s store probe: one trivial query, so a lost database shows as not ready. */
import { sql } from 'kysely';
import type { Db } from '../../store/database.js';
import type { ReadinessProbe } from '../http/health-routes.js';

export function createStoreProbe(db: Db): ReadinessProbe {
  return {
    name: 'store',
    check: async () => {
      await sql`select 1`.execute(db);
      return true;
    },
  };
}
