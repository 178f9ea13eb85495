import { json, type EmulatorResponse } from '../emulator-routes.js';
import type { SeededRandom } from '../seeded-random.js';

/**
 * HubSpot's error body: `{status:"error", message, correlationId, category, subCategory?, errors?, context?}`.
 * Every field is optional for readers, per https://developers.hubspot.com/docs/api-reference/latest/error-handling
 */
export interface HubSpotErrorDetail {
  message: string;
  code?: string;
  context?: Record<string, unknown>;
  in?: string;
  subCategory?: string;
}

export function hubspotError(
  random: SeededRandom,
  status: number,
  category: string,
  message: string,
  extra: { errors?: HubSpotErrorDetail[]; context?: Record<string, unknown>; subCategory?: string } = {},
  headers: Record<string, string> = {},
): EmulatorResponse {
  return json(status, {
    status: 'error',
    message,
    correlationId: random.uuid(),
    category,
    ...(extra.subCategory ? { subCategory: extra.subCategory } : {}),
    ...(extra.errors ? { errors: extra.errors } : {}),
    ...(extra.context ? { context: extra.context } : {}),
  }, headers);
}

/** One item's failure inside a batch answer (207 Multi-Status or the whole-batch error). */
export interface BatchItemError {
  status: 'error';
  category: string;
  message: string;
  context: Record<string, unknown>;
  errors?: HubSpotErrorDetail[];
}
