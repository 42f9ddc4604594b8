/** proxy-addr 2.x (installed with express, which resolves `req.ip` with it); it ships no types of its own. */
declare module 'proxy-addr' {
  import type { IncomingMessage } from 'node:http';

  type TrustFunction = (address: string, hop: number) => boolean;
  function proxyaddr(request: IncomingMessage, trust: TrustFunction | string | readonly string[]): string;
  namespace proxyaddr {
    function compile(value: string | readonly string[]): TrustFunction;
    function all(request: IncomingMessage, trust?: TrustFunction | string | readonly string[]): string[];
  }
  export = proxyaddr;
}
