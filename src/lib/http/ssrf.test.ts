import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkOutboundUrl, isPublicAddress, UnsafeUrlError } from './ssrf.js';

const resolveTo = (ips: string[]) => async () => ips;

describe('SSRF guard for URLs users enter', () => {
  test('SEC-3 private, loopback, link-local and metadata addresses are refused', async () => {
    for (const ip of [
      '127.0.0.1',
      '10.1.2.3',
      '172.16.5.4',
      '192.168.1.1',
      '169.254.169.254',
      '0.0.0.0',
      '100.64.0.1',
      '::1',
      'fe80::1',
      'fd00::1',
      '::ffff:10.0.0.1',
      '::ffff:127.0.0.1',
    ]) {
      assert.equal(isPublicAddress(ip), false, ip);
    }
    for (const ip of ['8.8.8.8', '145.97.39.155', '2a00:1450:400e:80c::200e'])
      assert.equal(isPublicAddress(ip), true, ip);
  });

  test('SEC-3 a host name that resolves to a private address is refused (DNS rebinding by name)', async () => {
    await assert.rejects(
      checkOutboundUrl('https://intern.example.nl/hook', { resolve: resolveTo(['10.0.0.5']) }),
      UnsafeUrlError,
    );
    await assert.rejects(
      checkOutboundUrl('https://mixed.example.nl/hook', { resolve: resolveTo(['8.8.8.8', '127.0.0.1']) }),
      /private or reserved/,
    );
    const ok = await checkOutboundUrl('https://hooks.example.nl/peil', { resolve: resolveTo(['8.8.4.4']) });
    assert.deepEqual(ok.addresses, ['8.8.4.4']);
  });

  test('SEC-3 only https, no credentials in the URL, and literal private IPs are refused', async () => {
    await assert.rejects(checkOutboundUrl('http://hooks.example.nl/', { resolve: resolveTo(['8.8.8.8']) }), /https/);
    await assert.rejects(checkOutboundUrl('ftp://hooks.example.nl/'), /https/);
    await assert.rejects(
      checkOutboundUrl('https://user:pw@hooks.example.nl/', { resolve: resolveTo(['8.8.8.8']) }),
      /credentials/,
    );
    await assert.rejects(checkOutboundUrl('https://[::1]:8443/'), /private/);
    await assert.rejects(checkOutboundUrl('https://169.254.169.254/latest/meta-data'), /private/);
    await assert.rejects(checkOutboundUrl('not a url'), /valid URL/);
  });

  test('development may allow http and private addresses explicitly', async () => {
    const r = await checkOutboundUrl('http://127.0.0.1:9999/hook', { allowHttp: true, allowPrivate: true });
    assert.equal(r.url.port, '9999');
  });
});
