import type { EmulatorResponse } from '../emulator-routes.js';
import type { SeededRandom } from '../seeded-random.js';

/**
 * Mailchimp answers every error as problem JSON: `type`, `title`, `status`, `detail`, `instance`, and
 * `errors` for field problems (https://mailchimp.com/developer/marketing/docs/errors/; PROVIDERS.md §5.9).
 */
export const PROBLEM_TYPE = 'https://mailchimp.com/developer/marketing/docs/errors/';

export function problem(
  random: SeededRandom,
  status: number,
  title: string,
  detail: string,
  errors?: Array<{ field: string; message: string }>,
  headers: Record<string, string> = {},
): EmulatorResponse {
  return {
    status,
    headers: { 'content-type': 'application/problem+json; charset=utf-8', ...headers },
    body: { type: PROBLEM_TYPE, title, status, detail, instance: random.uuid(), ...(errors ? { errors } : {}) },
  };
}

export const notFound = (random: SeededRandom): EmulatorResponse =>
  problem(random, 404, 'Resource Not Found', 'The requested resource could not be found.');
