/** Decides which web origins may call the API, open a socket, and embed the widget. */
export interface OriginPolicy {
  /** Whether a request with this Origin header (undefined for same-origin navigations and non-browser clients) may proceed. */
  allows(origin: string | undefined, ownOrigin?: string): boolean;
  /** For Content-Security-Policy frame-ancestors. */
  readonly frameAncestors: string[];
  readonly allowsAny: boolean;
}

export function createOriginPolicy(allowedOrigins: '*' | readonly string[]): OriginPolicy {
  const allowsAny = allowedOrigins === '*';
  const allowed = new Set(allowsAny ? [] : allowedOrigins);
  return {
    allowsAny,
    allows(origin, ownOrigin) {
      // No Origin: not a cross-site browser request (curl, server-to-server, same-origin GET). A browser always sends
      // Origin on cross-site fetches and WebSocket handshakes, which is what this policy is about.
      if (origin === undefined || origin === '') return true;
      if (allowsAny) return true;
      if (ownOrigin !== undefined && origin === ownOrigin) return true;
      return allowed.has(origin);
    },
    frameAncestors: allowsAny ? ["'self'", '*'] : ["'self'", ...allowed],
  };
}
