import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { ConcordError } from '../../shared/errors/index.js';

/**
 * Outbound URL policy (DESIGN §10): a system URL must be HTTPS and must not resolve to an internal
 * address, so a user-configured URL cannot make the daemon probe its own network. A system marked as a
 * local emulator is the one exception.
 */
const internal = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) internal.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8], ['64:ff9b::', 96], ['2001:db8::', 32],
] as const) internal.addSubnet(net, prefix, 'ipv6');

/** True for loopback, private, link-local, CGNAT, multicast and reserved addresses (IPv4-mapped IPv6 included). */
export function isInternalAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return internal.check(mapped[1]!, 'ipv4');
  const family = isIP(address);
  if (family === 0) return true;
  return internal.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

export type Resolver = (host: string) => Promise<string[]>;

const systemResolver: Resolver = async (host) => (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);

/**
 * Throws a coded error when `url` may not be called. Every address the host resolves to is checked,
 * since the connection may use any of them.
 */
export async function assertUrlAllowed(url: string, options: { emulator: boolean; system: string; resolve?: Resolver }): Promise<void> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConcordError('CONCORD_ERR_CONNECTOR_URL_INVALID',
      `system ${options.system}: expected an absolute URL, found "${url}"; allowed: https://host[:port]/path`);
  }
  if (options.emulator) {
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
      throw new ConcordError('CONCORD_ERR_CONNECTOR_URL_INSECURE',
        `system ${options.system}: expected an http(s) URL for an emulator, found scheme "${parsed.protocol}"`);
    }
    return;
  }
  if (parsed.protocol !== 'https:') {
    throw new ConcordError('CONCORD_ERR_CONNECTOR_URL_INSECURE',
      `system ${options.system}: expected an https:// URL, found "${parsed.protocol}//${parsed.host}"; ` +
      'allowed: https only, unless the system is marked `emulator: true`', { url: parsed.origin });
  }
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  let addresses: string[];
  if (isIP(host) !== 0) addresses = [host];
  else {
    try {
      addresses = await (options.resolve ?? systemResolver)(host);
    } catch (cause) {
      throw new ConcordError('CONCORD_ERR_CONNECTOR_URL_INVALID',
        `system ${options.system}: expected host "${host}" to resolve, found a DNS failure`, { host }, { cause });
    }
  }
  const bad = addresses.filter(isInternalAddress);
  if (addresses.length === 0 || bad.length > 0) {
    throw new ConcordError('CONCORD_ERR_CONNECTOR_URL_PRIVATE_ADDRESS',
      `system ${options.system}: expected host "${host}" to resolve to public addresses, found ${bad.join(', ') || 'none'}; ` +
      'internal addresses are allowed only for a system marked `emulator: true`', { host, addresses: bad });
  }
}
