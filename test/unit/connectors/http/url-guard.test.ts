import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assertUrlAllowed, isInternalAddress } from '../../../../src/connectors/http/url-guard.js';
import { createHttpClient } from '../../../../src/connectors/http/http-client.js';

describe('outbound URL policy', () => {
  it('refuses http:// for a system that is not an emulator, and allows it for one', async () => {
    await expect(assertUrlAllowed('http://api.example.com/x', { emulator: false, system: 's' })).rejects.toMatchObject({ code: 'CONCORD_ERR_CONNECTOR_URL_INSECURE' });
    await expect(assertUrlAllowed('http://127.0.0.1:9999/x', { emulator: true, system: 's' })).resolves.toBeUndefined();
  });

  it('refuses hosts that resolve to internal addresses, checking every address', async () => {
    await expect(assertUrlAllowed('https://127.0.0.1/x', { emulator: false, system: 's' })).rejects.toMatchObject({ code: 'CONCORD_ERR_CONNECTOR_URL_PRIVATE_ADDRESS' });
    await expect(assertUrlAllowed('https://localhost/x', { emulator: false, system: 's' })).rejects.toMatchObject({ code: 'CONCORD_ERR_CONNECTOR_URL_PRIVATE_ADDRESS' });
    const resolve = async () => ['93.184.216.34', '10.1.2.3'];
    await expect(assertUrlAllowed('https://api.example.com/x', { emulator: false, system: 's', resolve })).rejects.toMatchObject({ code: 'CONCORD_ERR_CONNECTOR_URL_PRIVATE_ADDRESS' });
    await expect(assertUrlAllowed('https://api.example.com/x', { emulator: false, system: 's', resolve: async () => ['93.184.216.34', '2606:2800:220:1::1'] })).resolves.toBeUndefined();
  });

  it('the client refuses before sending anything', async () => {
    const http = createHttpClient({ system: 's', baseUrl: 'http://127.0.0.1:1', emulator: false });
    await expect(http.request({ method: 'GET', url: '/' })).rejects.toMatchObject({ code: 'CONCORD_ERR_CONNECTOR_URL_INSECURE' });
  });

  it('classifies private, loopback, link-local and mapped addresses as internal', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }), (a, b, c) => {
      expect(isInternalAddress(`10.${a}.${b}.${c}`)).toBe(true);
      expect(isInternalAddress(`127.${a}.${b}.${c}`)).toBe(true);
      expect(isInternalAddress(`192.168.${a}.${b}`)).toBe(true);
      expect(isInternalAddress(`169.254.${a}.${b}`)).toBe(true);
      expect(isInternalAddress(`172.${16 + (a % 16)}.${b}.${c}`)).toBe(true);
      expect(isInternalAddress(`::ffff:10.${a}.${b}.${c}`)).toBe(true);
    }));
    for (const ip of ['::1', 'fe80::1', 'fd00::5', '0.0.0.0', '100.64.0.1']) expect(isInternalAddress(ip)).toBe(true);
    for (const ip of ['8.8.8.8', '104.16.0.1', '2606:4700::1111', '172.32.0.1']) expect(isInternalAddress(ip)).toBe(false);
  });
});
