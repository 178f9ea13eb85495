import type { EmulatorRequest, EmulatorResponse } from '../emulator-routes.js';
import type { SeededRandom } from '../seeded-random.js';
import { problem } from './mailchimp-problem.js';

/**
 * API-key auth: HTTP Basic with any user name and the key as password (older clients send
 * `Authorization: apikey <key>`); the key's `-usNN` suffix names its data centre and must match the host's
 * (PROVIDERS.md §5.1–5.2). OAuth apps send `Authorization: Bearer <token>`; those tokens never expire.
 * The data centre is read from a `usNN.api.mailchimp.com` Host header, else it is the emulator's own.
 */
export interface MailchimpCredentials {
  apiKeys: string[];
  oauthTokens: string[];
  dc: string;
}

export function checkMailchimpAuth(req: EmulatorRequest, creds: MailchimpCredentials, random: SeededRandom): EmulatorResponse | undefined {
  const header = String(req.headers.authorization ?? '');
  const hostDc = /^([a-z]+\d+)\.api\.mailchimp\.com/i.exec(String(req.headers.host ?? ''))?.[1]?.toLowerCase();
  const dc = hostDc ?? creds.dc;
  let key: string | undefined;
  const basic = /^Basic\s+(\S+)$/i.exec(header);
  if (basic?.[1]) {
    const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    key = colon >= 0 ? decoded.slice(colon + 1) : undefined;
  }
  const apikey = /^apikey\s+(\S+)$/i.exec(header);
  if (apikey?.[1]) key = apikey[1];
  const bearer = /^(?:Bearer|OAuth)\s+(\S+)$/i.exec(header);
  if (bearer?.[1]) {
    if (creds.oauthTokens.includes(bearer[1])) return undefined;
    return invalidKey(random);
  }
  if (!key) return problem(random, 401, 'API Key Missing', 'Your request did not include an API key.');
  const suffix = key.slice(key.lastIndexOf('-') + 1).toLowerCase();
  if (!creds.apiKeys.includes(key) || suffix !== dc) return invalidKey(random);
  return undefined;
}

function invalidKey(random: SeededRandom): EmulatorResponse {
  return problem(random, 401, 'API Key Invalid', "Your API key may be invalid, or you've attempted to access the wrong datacenter.");
}
