import type { IncomingMessage } from 'node:http';

/**
 * Open connections per client address, counted from the handshake on. A slot is reserved when the handshake is
 * allowed (before any namespace join), bound to the engine.io connection once it exists, and released when that
 * connection closes, or when `handshakeTimeoutMs` passes without a namespace join (then the connection is closed
 * too: an engine.io polling session that never polls would otherwise linger for its transport's close timeout). So
 * opening hundreds of WebSockets first and joining later, or polling sessions that never join, all count.
 */
export interface ConnectionSlots {
  /** Reserves a slot for the request's address; false when the address holds its share already. */
  reserve(request: IncomingMessage, address: string): boolean;
  /**
   * The handshake became a connection: its slot now lives until `close` is called, or until the join timeout, which
   * releases it and calls `onTimeout` (to close the connection). Undefined when the reservation is already gone.
   */
  bind(request: IncomingMessage, onTimeout: () => void): { close(): void } | undefined;
  /** The connection joined the namespace: the join timeout no longer applies. */
  joined(request: IncomingMessage): void;
  /** Slots held by an address now. */
  held(address: string): number;
  /** Releases every slot and timer (server shutdown). */
  clear(): void;
}

export interface ConnectionSlotsOptions {
  /** Slots allowed per address. */
  readonly perAddress: number;
  /** A reserved slot whose handshake has not become a connection by then is released. */
  readonly handshakeTimeoutMs: number;
}

interface Reservation {
  readonly address: string;
  released: boolean;
  timer?: NodeJS.Timeout;
  onTimeout?: () => void;
}

export function createConnectionSlots(options: ConnectionSlotsOptions): ConnectionSlots {
  const heldByAddress = new Map<string, number>();
  const reservations = new WeakMap<IncomingMessage, Reservation>();
  const pending = new Set<Reservation>();

  const release = (reservation: Reservation): void => {
    if (reservation.released) return;
    reservation.released = true;
    clearTimeout(reservation.timer);
    pending.delete(reservation);
    const left = (heldByAddress.get(reservation.address) ?? 1) - 1;
    if (left <= 0) heldByAddress.delete(reservation.address);
    else heldByAddress.set(reservation.address, left);
  };

  return {
    reserve(request, address) {
      const held = heldByAddress.get(address) ?? 0;
      if (held >= options.perAddress) return false;
      heldByAddress.set(address, held + 1);
      const reservation: Reservation = { address, released: false };
      reservation.timer = setTimeout(() => {
        release(reservation);
        reservation.onTimeout?.();
      }, options.handshakeTimeoutMs);
      reservation.timer.unref();
      pending.add(reservation);
      reservations.set(request, reservation);
      return true;
    },
    bind(request, onTimeout) {
      const reservation = reservations.get(request);
      if (!reservation || reservation.released) return undefined;
      reservation.onTimeout = onTimeout;
      return { close: () => release(reservation) };
    },
    joined(request) {
      const reservation = reservations.get(request);
      if (!reservation) return;
      clearTimeout(reservation.timer);
      pending.delete(reservation);
    },
    held: (address) => heldByAddress.get(address) ?? 0,
    clear() {
      for (const reservation of [...pending]) release(reservation);
      heldByAddress.clear();
    },
  };
}
