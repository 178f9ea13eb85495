/** OAuth tokens, AES-256-GCM encrypted; all three parts base64. */
export interface TokensTable {
  system: string;
  ciphertext: string;
  iv: string;
  tag: string;
  expires_at: string | null;
  updated_at: string;
}

/** Named leases for scale-out: poll leadership, per-key work. */
export interface LeasesTable {
  name: string;
  owner: string;
  acquired_at: string;
  expires_at: string;
}

/** Whether a pair is paused (mass-change guard) and why. `paused` is 0 or 1 (SQLite has no boolean). */
export interface PairStateTable {
  pair: string;
  paused: number;
  paused_reason: string | null;
  paused_at: string | null;
  approved_at: string | null;
  updated_at: string;
}
