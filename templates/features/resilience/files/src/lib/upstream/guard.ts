import { type LookupAddress, type LookupAllOptions, lookup } from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { UpstreamError } from './errors.ts';

/**
 * Addresses an outbound request must not reach unless explicitly allowed: this host, private networks,
 * link-local (cloud metadata at 169.254.169.254), carrier-grade NAT, multicast and reserved ranges, and
 * NAT64 forms that would reach them indirectly. BlockList matches IPv4-mapped IPv6 addresses
 * (`::ffff:10.0.0.1`) against the IPv4 ranges itself.
 */
const INTERNAL = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  INTERNAL.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b::', 96],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  INTERNAL.addSubnet(network, prefix, 'ipv6');
}

export interface GuardOptions {
  /** Origins (`https://api.example.com`, `http://10.0.0.5:8080`) outbound requests may go to. */
  allowedOrigins: readonly string[];
  /** Internal networks (`10.0.0.0/8`, `127.0.0.1/32`, `::1/128`) that may be reached anyway. */
  allowedNetworks: readonly string[];
}

const familyOf = (address: string) => (isIP(address) === 6 ? 'ipv6' : 'ipv4');

/**
 * The SSRF guard of every outbound request: the URL's scheme and origin must be allowlisted, and the
 * address it connects to (an IP literal, or each address its name resolves to, checked at connection
 * time so that DNS rebinding cannot slip past) must not be internal unless its network is allowlisted.
 */
export class OutboundGuard {
  readonly #origins: Set<string>;
  readonly #allowedNetworks = new BlockList();

  constructor(options: GuardOptions) {
    this.#origins = new Set(options.allowedOrigins.map((origin) => new URL(origin).origin));
    for (const entry of options.allowedNetworks) {
      const [network = '', bits] = entry.split('/');
      const type = familyOf(network);
      this.#allowedNetworks.addSubnet(network, bits === undefined ? (type === 'ipv6' ? 128 : 32) : Number(bits), type);
    }
  }

  /** Throws an UpstreamError (`refused`) unless `url` may be requested. */
  checkUrl(url: URL): void {
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      throw new UpstreamError('refused', `scheme ${url.protocol} is not allowed`);
    }
    if (!this.#origins.has(url.origin)) throw new UpstreamError('refused', `origin ${url.origin} is not allowlisted`);
    if (url.username || url.password) throw new UpstreamError('refused', 'credentials in URLs are not allowed');
    const literal = url.hostname.replace(/^\[(.*)\]$/, '$1');
    if (isIP(literal) && !this.addressAllowed(literal)) {
      throw new UpstreamError('refused', `address ${literal} is internal`);
    }
  }

  addressAllowed(address: string): boolean {
    const type = familyOf(address);
    return !INTERNAL.check(address, type) || this.#allowedNetworks.check(address, type);
  }

  /** A `net.connect` lookup that refuses a name if any address it resolves to is not allowed. */
  readonly lookup: LookupFunction = (hostname, options, callback) => {
    const all: LookupAllOptions = { ...options, all: true };
    lookup(hostname, all, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, '', 0);
      const refused = addresses.find((a) => !this.addressAllowed(a.address));
      if (refused || addresses.length === 0) {
        const reason = refused
          ? `${hostname} resolves to internal address ${refused.address}`
          : `${hostname} has no address`;
        return callback(new UpstreamError('refused', reason), '', 0);
      }
      if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
      const [first] = addresses as [LookupAddress];
      return callback(null, first.address, first.family);
    });
  };
}
