/**
 * Redis for tests: `describeWithRedis(name, (getRedis) => { ... })` gives a client on
 * CONCORD_TEST_REDIS_URL (default redis://127.0.0.1:6379) whose keys carry a prefix of this test file's
 * own (`getRedis().prefix`), deleted after the suite. When Redis does not answer, the cases FAIL under
 * CI (process.env.CI set) and are skipped elsewhere, with one line saying why.
 *
 * ioredis applies `keyPrefix` to commands but not to KEYS/SCAN patterns, and libraries that make
 * their own connections (Bottleneck's clustering) take the prefix as their own option: pass `prefix` there.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, it } from 'vitest';

export const testRedisUrl = process.env.CONCORD_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface TestRedis {
  /** A client whose commands are prefixed with `prefix`. */
  client: Redis;
  /** Unique to this test file: `concord-test:<random>:`. */
  prefix: string;
  url: string;
}

const redisUnavailable: string | undefined = await probeRedis();
let skipNoticePrinted = false;

export function isRedisAvailable(): boolean {
  return redisUnavailable === undefined;
}

export function describeWithRedis(name: string, body: (getRedis: () => TestRedis) => void): void {
  const title = `${name} [redis]`;
  if (redisUnavailable !== undefined) {
    if (process.env.CI) {
      describe(title, () => {
        it('needs Redis', () => {
          throw new Error(`Redis is required in CI and did not answer at ${testRedisUrl}: ${redisUnavailable}`);
        });
      });
      return;
    }
    if (!skipNoticePrinted) {
      skipNoticePrinted = true;
      process.stderr.write(`skipping Redis cases: ${testRedisUrl} did not answer (${redisUnavailable}); set CONCORD_TEST_REDIS_URL\n`);
    }
    describe.skip(title, () => body(() => { throw new Error('Redis unavailable'); }));
    return;
  }
  describe(title, () => {
    let redis: TestRedis | undefined;
    beforeAll(async () => {
      const prefix = `concord-test:${randomBytes(6).toString('hex')}:`;
      const client = new Redis(testRedisUrl, { keyPrefix: prefix, lazyConnect: true, maxRetriesPerRequest: 2 });
      await client.connect();
      redis = { client, prefix, url: testRedisUrl };
    });
    afterAll(async () => {
      if (!redis) return;
      await deleteByPrefix(redis.url, redis.prefix);
      await redis.client.quit();
    });
    body(() => {
      if (!redis) throw new Error('the test Redis is connected in beforeAll; call getRedis() inside a test or hook');
      return redis;
    });
  });
}

/** Deletes every key under `prefix`, including those written by other connections. */
export async function deleteByPrefix(url: string, prefix: string): Promise<void> {
  const plain = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 2 });
  await plain.connect();
  try {
    let cursor = '0';
    do {
      const [next, keys] = await plain.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) await plain.del(...keys);
    } while (cursor !== '0');
  } finally {
    await plain.quit();
  }
}

async function probeRedis(): Promise<string | undefined> {
  const client = new Redis(testRedisUrl, {
    lazyConnect: true, connectTimeout: 2000, maxRetriesPerRequest: 0, retryStrategy: () => null,
  });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.ping();
    return undefined;
  } catch (err) {
    return (err as Error).message || String(err);
  } finally {
    client.disconnect();
  }
}
