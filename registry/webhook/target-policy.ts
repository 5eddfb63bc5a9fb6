import { promises as dns, type LookupAddress } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';

/** Resolves a host name to every address it has (dns.lookup semantics: /etc/hosts, then DNS). */
export type Resolve = (hostname: string) => Promise<LookupAddress[]>;

const systemResolve: Resolve = (hostname) => dns.lookup(hostname, { all: true, verbatim: true });

/** A webhook target the registry will not call: it leads (or may lead) inside our network. */
export class ForbiddenTargetError extends Error {}

/**
 * Why the registry must not connect to `address`, or undefined for a public unicast address.
 * An allowlist, not a list of bad ranges: whatever ipaddr.js does not class as global unicast
 * (loopback, RFC 1918 private, carrier-grade NAT, link-local with the cloud metadata address,
 * unique-local fc00::/7, unspecified, multicast, reserved, documentation ranges, and IPv6 forms
 * that embed an IPv4 address: mapped ::ffff:0:0/96, NAT64, 6to4, Teredo) is refused.
 */
export function forbiddenRange(address: string): string | undefined {
  if (!ipaddr.isValid(address)) return 'not an IP address';
  const parsed = ipaddr.parse(address);
  const range = parsed.range();
  return range === 'unicast' ? undefined : range;
}

/** `[::1]` (URL host syntax) → `::1`. */
const unbracket = (host: string) => host.replace(/^\[(.*)\]$/, '$1');

/**
 * The SSRF rule of partner webhooks: in production (`allowPrivate` false) a target must resolve
 * only to public addresses, at registration and again at every delivery, since DNS can change
 * in between (rebinding). A delivery connects to the addresses this check resolved (`lookup`),
 * so a second resolution between the check and the connection cannot swap them.
 */
export class TargetPolicy {
  constructor(
    readonly allowPrivate: boolean,
    private readonly resolve: Resolve = systemResolve,
  ) {}

  /** The addresses `url` may be reached at; throws ForbiddenTargetError when any is not public (or none resolves). */
  async addresses(url: URL): Promise<LookupAddress[]> {
    const host = unbracket(url.hostname);
    const family = isIP(host);
    let addresses: LookupAddress[];
    if (family) {
      addresses = [{ address: host, family }];
    } else {
      try {
        addresses = await this.resolve(host);
      } catch (err) {
        throw new ForbiddenTargetError(`${host} does not resolve (${(err as { code?: string }).code ?? (err as Error).message})`);
      }
      if (!addresses.length) throw new ForbiddenTargetError(`${host} does not resolve`);
    }
    if (this.allowPrivate) return addresses;
    // Any forbidden address refuses the host: a client may pick any of them.
    const bad = addresses.map((a) => ({ ...a, range: forbiddenRange(a.address) })).filter((a) => a.range);
    if (bad.length) {
      const list = bad.map((a) => `${a.address} (${a.range})`).join(', ');
      throw new ForbiddenTargetError(`${host} resolves to an address that is not public: ${list}`);
    }
    return addresses;
  }

  /**
   * A `lookup` for http(s).request that answers with exactly the addresses checked for this
   * delivery. Node calls it for host names only; IP literals are checked by `addresses` directly.
   */
  pinnedLookup(checked: LookupAddress[]): LookupFunction {
    return (_hostname, options, callback) => {
      const wanted = options.family === 4 || options.family === 6 ? checked.filter((a) => a.family === options.family) : checked;
      if (!wanted.length) {
        callback(Object.assign(new Error('no checked address of the requested family'), { code: 'ENOTFOUND' }), '', 0);
        return;
      }
      if (options.all) callback(null, wanted);
      else callback(null, wanted[0].address, wanted[0].family);
    };
  }
}
