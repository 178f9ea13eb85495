import { afterAll, beforeAll, beforeEach } from 'vitest';
import type { ChangePage, RemoteRecord } from '../../src/connectors/contract.js';
import type { ContractHarness, ContractSubject } from './contract-subject.js';
import { emulatorAdmin, type EmulatorAdmin } from './emulator-admin.js';

export interface HarnessAccess {
  h(): ContractHarness;
  admin(): EmulatorAdmin;
}

/** One emulator per subject and test file, reset to its starting state before every case. */
export function useHarness(subject: ContractSubject): HarnessAccess {
  let harness: ContractHarness | undefined;
  let admin: EmulatorAdmin | undefined;
  beforeAll(async () => {
    harness = await subject.start();
    admin = emulatorAdmin(harness.emulatorUrl);
  });
  afterAll(async () => { await harness?.close(); });
  beforeEach(async () => { await admin?.reset(); });
  return {
    h: () => harness ?? (() => { throw new Error('harness starts in beforeAll'); })(),
    admin: () => admin ?? (() => { throw new Error('harness starts in beforeAll'); })(),
  };
}

export async function collectPages(pages: AsyncIterable<ChangePage>): Promise<ChangePage[]> {
  const out: ChangePage[] = [];
  for await (const p of pages) {
    out.push(p);
    if (p.done) break;
  }
  return out;
}

export function recordsOf(pages: ChangePage[]): RemoteRecord[] {
  return pages.flatMap((p) => p.records);
}

export function emails(n: number, prefix: string): string[] {
  return Array.from({ length: n }, (_, i) => `${prefix}${String(i).padStart(5, '0')}@example.com`);
}
