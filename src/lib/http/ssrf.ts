import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import type { Message } from '../i18n.js';

/**
 * OBLIGATIONS SEC-3 (SSRF): a URL a user enters (a webhook, an AI provider) may only point at the
 * public internet. Private, loopback, link-local, multicast and other special ranges are refused,
 * after resolving the host name, so a name that resolves to 127.0.0.1 or 169.254.169.254 (cloud
 * metadata) is refused too. Development may allow them explicitly.
 */
const blocked = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
  ['255.255.255.255', 32],
] as const)
  blocked.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  // No ::ffff:0:0/96 or 64:ff9b::/96 here: Node matches IPv4 addresses against such IPv4-mapped
  // ranges, which would block every IPv4 address. Mapped addresses are unwrapped below instead.
  ['::1', 128],
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const)
  blocked.addSubnet(net, prefix, 'ipv6');

export function isPublicAddress(ip: string): boolean {
  const family = isIP(ip);
  if (family === 0) return false;
  if (family === 6) {
    // An IPv4 address written as IPv6 (::ffff:10.0.0.1) is judged as the IPv4 address it is.
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip) ?? /^64:ff9b::(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
    if (mapped) return isPublicAddress(mapped[1]!);
    if (/^::ffff:|^64:ff9b::/i.test(ip) || ip === '::') return false;
    return !blocked.check(ip, 'ipv6');
  }
  return !blocked.check(ip, 'ipv4');
}

/** A refused URL: `message` in English (logs, webhook attempts), `text` the catalogue message (issue 14). */
export class UnsafeUrlError extends Error {
  readonly text: Message;
  constructor(message: string, key: string, params?: Record<string, string>) {
    super(message);
    this.text = { key: `problems:reasons.url.${key}`, ...(params ? { params } : {}) };
  }
  /** Stable across languages: url_invalid, url_scheme, url_credentials, url_unresolved, url_private. */
  get code(): string {
    return `url_${this.text.key.split('.').pop()}`;
  }
}

export interface UrlPolicy {
  /** Allow http: as well as https: (development, tests). */
  allowHttp?: boolean;
  /** Allow private and loopback addresses (development, tests with a local receiver). */
  allowPrivate?: boolean;
  resolve?: (host: string) => Promise<string[]>;
}

const defaultResolve = async (host: string) =>
  (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);

/** Checks a user-entered URL; returns the addresses it resolves to (connect to one of these only). */
export async function checkOutboundUrl(
  raw: string,
  policy: UrlPolicy = {},
): Promise<{ url: URL; addresses: string[] }> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UnsafeUrlError('not a valid URL', 'invalid');
  }
  if (url.protocol !== 'https:' && !(policy.allowHttp && url.protocol === 'http:'))
    throw new UnsafeUrlError(`the scheme must be https (got ${url.protocol.replace(':', '')})`, 'scheme', {
      scheme: url.protocol.replace(':', ''),
    });
  if (url.username || url.password) throw new UnsafeUrlError('credentials in the URL are not allowed', 'credentials');
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const addresses = isIP(host)
    ? [host]
    : await (policy.resolve ?? defaultResolve)(host).catch(() => {
        throw new UnsafeUrlError(`the host ${host} cannot be resolved`, 'unresolved', { host });
      });
  if (addresses.length === 0) throw new UnsafeUrlError(`the host ${host} cannot be resolved`, 'unresolved', { host });
  if (!policy.allowPrivate) {
    const bad = addresses.find((a) => !isPublicAddress(a));
    if (bad)
      throw new UnsafeUrlError(`the host ${host} points at a private or reserved address (${bad})`, 'private', {
        host,
        address: bad,
      });
  }
  return { url, addresses };
}
