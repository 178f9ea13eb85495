import { createHash, createHmac } from 'node:crypto';

/**
 * How HubSpot signs webhook requests, written from its documentation:
 * - v1: hex SHA-256 of clientSecret + body — https://developers.hubspot.com/docs/faq/v1-request-validation
 * - v2: hex SHA-256 of clientSecret + method + uri + body — https://developers.hubspot.com/docs/faq/v2-request-validation
 * - v3: base64 HMAC-SHA256, key = client secret, message = method + uri + body + timestamp (epoch ms)
 *   — https://developers.hubspot.com/changelog/introducing-version-3-of-webhook-signatures
 */
export function signV1(clientSecret: string, body: string): string {
  return createHash('sha256').update(clientSecret + body, 'utf8').digest('hex');
}

export function signV2(clientSecret: string, method: string, uri: string, body: string): string {
  return createHash('sha256').update(clientSecret + method + uri + body, 'utf8').digest('hex');
}

export function signV3(clientSecret: string, method: string, uri: string, body: string, timestampMs: number | string): string {
  return createHmac('sha256', clientSecret)
    .update(method + decodeV3Uri(uri) + body + String(timestampMs), 'utf8')
    .digest('base64');
}

/**
 * v3 hashes the URI with these percent-escapes decoded and every other one left as sent
 * (the v3 validation guide; PROVIDERS.md §1.7 marks the table as recalled, not re-read).
 */
const V3_DECODED: Record<string, string> = {
  '%3A': ':', '%2F': '/', '%3F': '?', '%40': '@', '%21': '!', '%24': '$', '%27': "'", '%28': '(', '%29': ')',
  '%2A': '*', '%2C': ',', '%3B': ';',
};

export function decodeV3Uri(uri: string): string {
  return uri.replace(/%[0-9A-Fa-f]{2}/g, (m) => V3_DECODED[m.toUpperCase()] ?? m);
}
