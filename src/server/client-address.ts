import type { IncomingMessage } from 'node:http';
import proxyaddr from 'proxy-addr';

/** Which hops may name the client in X-Forwarded-For: the same function for Express (`req.ip`) and the sockets. */
export type TrustProxyFunction = (address: string, hop: number) => boolean;

/**
 * Compiles a `TRUST_PROXY` setting exactly as Express does (`compileTrust` in express/lib/utils.js): `true` trusts
 * every hop, a number trusts that many hops next to the server, a string is a comma list of addresses, subnets or
 * the names `loopback`, `linklocal`, `uniquelocal`, and `false` trusts none.
 */
export function compileTrustProxy(setting: boolean | number | string): TrustProxyFunction {
  if (setting === true) return () => true;
  if (setting === false) return () => false;
  if (typeof setting === 'number') return (_address, hop) => hop < setting;
  return proxyaddr.compile(
    setting
      .split(',')
      .map((entry) => entry.trim())
      .filter((entry) => entry !== ''),
  );
}

/**
 * The client's address as Express computes `req.ip`: walk X-Forwarded-For from the right (the entry the nearest proxy
 * wrote) and stop at the first hop that is not trusted. A client can prepend entries of its own, never replace the ones
 * its proxies append, so the leftmost entry is never believed unless every hop is trusted.
 */
export function resolveClientAddress(request: IncomingMessage, trust: TrustProxyFunction): string {
  if (request.socket.remoteAddress === undefined) return 'unknown';
  return proxyaddr(request, trust) || 'unknown';
}
