// One-time, short-lived tickets that let a browser into a service's web UI origin. The panel asks
// for a ticketed URL (service.webView); the service origin swaps the ticket for its own cookie
// and takes it out of the address bar. A ticket works once, and only for a minute, so one that
// leaks (history, a screenshot, a log) is worth nothing.
import { randomBytes } from 'node:crypto';

export const TICKET_PARAM = 'coursedock_ticket';
export const DEFAULT_TICKET_TTL_MS = 60_000;

export interface TicketOptions {
  ttlMs?: number;
  /** For tests: the clock. */
  now?: () => number;
}

export class WebTickets {
  private readonly live = new Map<string, number>();
  private readonly ttlMs: number;
  private readonly now: () => number;

  constructor(options: TicketOptions = {}) {
    this.ttlMs = options.ttlMs ?? DEFAULT_TICKET_TTL_MS;
    this.now = options.now ?? Date.now;
  }

  issue(): string {
    this.sweep();
    const ticket = randomBytes(24).toString('base64url');
    this.live.set(ticket, this.now() + this.ttlMs);
    return ticket;
  }

  /** True once for a ticket issued here that has not expired; false ever after. */
  redeem(ticket: string | null | undefined): boolean {
    if (!ticket) return false;
    const expires = this.live.get(ticket);
    if (expires === undefined) return false;
    this.live.delete(ticket);
    return this.now() <= expires;
  }

  /** Tickets still waiting (for tests and the sweep). */
  get pending(): number {
    return this.live.size;
  }

  private sweep(): void {
    const now = this.now();
    for (const [t, expires] of this.live) if (expires < now) this.live.delete(t);
  }
}
