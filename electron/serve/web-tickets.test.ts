import { describe, expect, it } from 'vitest';
import { WebTickets } from './web-tickets.js';

describe('service page tickets', () => {
  it('work once', () => {
    const tickets = new WebTickets();
    const t = tickets.issue();
    expect(tickets.redeem(t)).toBe(true);
    expect(tickets.redeem(t)).toBe(false);
  });

  it('expire, and an expired one stays refused', () => {
    let now = 1_000;
    const tickets = new WebTickets({ ttlMs: 60_000, now: () => now });
    const late = tickets.issue();
    const inTime = tickets.issue();
    now += 60_000;
    expect(tickets.redeem(inTime)).toBe(true);
    now += 1;
    expect(tickets.redeem(late)).toBe(false);
    expect(tickets.redeem(late)).toBe(false);
  });

  it('refuse what was never issued, and are unguessable', () => {
    const tickets = new WebTickets();
    expect(tickets.redeem('')).toBe(false);
    expect(tickets.redeem(null)).toBe(false);
    expect(tickets.redeem('x'.repeat(32))).toBe(false);
    const a = tickets.issue();
    expect(a).toMatch(/^[\w-]{32}$/);
    expect(tickets.issue()).not.toBe(a);
  });

  it('forget expired tickets as new ones are issued', () => {
    let now = 0;
    const tickets = new WebTickets({ ttlMs: 10, now: () => now });
    tickets.issue();
    tickets.issue();
    now = 100;
    tickets.issue();
    expect(tickets.pending).toBe(1);
  });
});
