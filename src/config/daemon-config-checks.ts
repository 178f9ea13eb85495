/**
 * Checks of a schema-valid daemon config that zod cannot express alone: system base URLs are https
 * unless the system is a local emulator (DESIGN §10), and an admin API reachable from other machines
 * has a token.
 */
import { didYouMean } from './did-you-mean.js';
import type { DaemonConfig } from './daemon-config-schema.js';
import type { Problem } from './problems.js';
import { offsetOfPath, problemAt, type YamlSource } from './yaml-source.js';

const loopbackHosts = new Set(['127.0.0.1', '::1', '[::1]', 'localhost']);

export function isLoopbackHost(host: string): boolean {
  return loopbackHosts.has(host.toLowerCase()) || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** Literal private, loopback and link-local addresses; names are checked after DNS resolution at run time. */
function isPrivateLiteral(host: string): boolean {
  return isLoopbackHost(host) || /^(10\.|192\.168\.|169\.254\.|172\.(1[6-9]|2\d|3[01])\.|0\.)/.test(host) ||
    /^\[?(fc|fd|fe80)[0-9a-f]*:/i.test(host);
}

export function checkDaemonConfig(source: YamlSource, config: DaemonConfig, connectorKinds?: readonly string[]): Problem[] {
  const problems: Problem[] = [];
  for (const [name, system] of Object.entries(config.systems)) {
    const kind = system.connector ?? name;
    if (connectorKinds && system.enabled && !connectorKinds.includes(kind)) {
      const path = system.connector === undefined ? ['systems', name] : ['systems', name, 'connector'];
      problems.push(problemAt(source, offsetOfPath(source, path, system.connector === undefined), 'UNKNOWN_CONNECTOR',
        `systems.${name}: no connector "${kind}" in this build${didYouMean(kind, connectorKinds)}; available: ${connectorKinds.join(', ')} (set connector: <kind>, or enabled: false)`));
    }
    const url = new URL(system.base_url);
    const at = offsetOfPath(source, ['systems', name, 'base_url']);
    if (system.emulator) {
      if (!isLoopbackHost(url.hostname)) {
        problems.push(problemAt(source, at, 'INSECURE_URL',
          `systems.${name}.base_url: "${system.base_url}" is not on this machine, but emulator: true allows only 127.0.0.1, ::1 or localhost`));
      }
    } else if (url.protocol !== 'https:') {
      problems.push(problemAt(source, at, 'INSECURE_URL',
        `systems.${name}.base_url: "${system.base_url}" is not https; only a local emulator (emulator: true) may use http://`));
    } else if (isPrivateLiteral(url.hostname)) {
      problems.push(problemAt(source, at, 'INSECURE_URL',
        `systems.${name}.base_url: "${url.hostname}" is a private, loopback or link-local address; only a local emulator (emulator: true) may use one`));
    }
  }
  if (!isLoopbackHost(config.http.host) && config.http.admin_token === undefined) {
    problems.push(problemAt(source, offsetOfPath(source, ['http', 'host']), 'MISSING_KEY',
      `http.host "${config.http.host}" is reachable from other machines, so http.admin_token (or admin_token_file) is required for the admin endpoints`));
  }
  return problems;
}
