import type { EmulatorClock } from '../emulator-clock.js';
import { json, type EmulatorResponse } from '../emulator-routes.js';
import type { SeededRandom } from '../seeded-random.js';

/**
 * HubSpot's published limits, per account and shared by every app in it:
 * a rolling 10-second burst (100 on Free/Starter, 190 on Professional/Enterprise) and a daily total
 * (250,000 / 650,000 / 1,000,000) — https://developers.hubspot.com/changelog/increasing-our-api-limits;
 * CRM search has its own limit per token (4 per second — https://developers.hubspot.com/changelog/crm-search-api-rate-limit-increase).
 * Every answer carries the X-HubSpot-RateLimit-* headers
 * (https://developers.hubspot.com/changelog/2018-11-06-rate-limit-information-headers-will-be-included-in-http-responses).
 * The 429 body follows PROVIDERS.md §1.8; no Retry-After is sent, as none is documented for these limits.
 */
export interface HubSpotLimits {
  burstPer10Seconds: number;
  daily: number;
  searchPerSecond: number;
}

export const FREE_TIER_LIMITS: HubSpotLimits = { burstPer10Seconds: 100, daily: 250_000, searchPerSecond: 4 };
const WINDOW_MS = 10_000;

export type Admission = { ok: true; headers: Record<string, string> } | { ok: false; response: EmulatorResponse };

export interface HubSpotRateLimiter {
  admit(token: string, isSearch: boolean): Admission;
  /** Today's use, for GET /account-info/v3/api-usage/daily/private-apps. */
  usage(): { usageLimit: number; currentUsage: number; resetsAt: string };
  reset(): void;
}

export function createHubSpotRateLimiter(limits: HubSpotLimits, clock: EmulatorClock, random: SeededRandom): HubSpotRateLimiter {
  let burst: number[] = [];
  let day = '';
  let dailyUsed = 0;
  const search = new Map<string, number[]>();

  const headers = (): Record<string, string> => ({
    'X-HubSpot-RateLimit-Daily': String(limits.daily),
    'X-HubSpot-RateLimit-Daily-Remaining': String(Math.max(0, limits.daily - dailyUsed)),
    'X-HubSpot-RateLimit-Interval-Milliseconds': String(WINDOW_MS),
    'X-HubSpot-RateLimit-Max': String(limits.burstPer10Seconds),
    'X-HubSpot-RateLimit-Remaining': String(Math.max(0, limits.burstPer10Seconds - burst.length)),
  });
  const refuse = (policyName: string, message: string): Admission => ({
    ok: false,
    response: json(429, {
      status: 'error', message, errorType: 'RATE_LIMIT', correlationId: random.uuid(), policyName,
    }, headers()),
  });

  return {
    reset() { burst = []; day = ''; dailyUsed = 0; search.clear(); },
    usage() {
      const now = new Date(clock.nowMs());
      const today = now.toISOString().slice(0, 10);
      const resetsAt = new Date(Date.parse(`${today}T00:00:00.000Z`) + 86_400_000).toISOString();
      return { usageLimit: limits.daily, currentUsage: today === day ? dailyUsed : 0, resetsAt };
    },
    admit(token, isSearch) {
      const now = clock.nowMs();
      const today = new Date(now).toISOString().slice(0, 10);
      if (today !== day) { day = today; dailyUsed = 0; }
      burst = burst.filter((t) => t > now - WINDOW_MS);
      if (dailyUsed >= limits.daily) return refuse('DAILY', 'You have reached your daily limit.');
      if (burst.length >= limits.burstPer10Seconds) return refuse('TEN_SECONDLY_ROLLING', 'You have reached your ten_secondly_rolling limit.');
      if (isSearch) {
        const recent = (search.get(token) ?? []).filter((t) => t > now - 1000);
        if (recent.length >= limits.searchPerSecond) {
          search.set(token, recent);
          return refuse('SECONDLY', 'You have reached your secondly limit.');
        }
        recent.push(now);
        search.set(token, recent);
      }
      burst.push(now);
      dailyUsed += 1;
      return { ok: true, headers: headers() };
    },
  };
}
