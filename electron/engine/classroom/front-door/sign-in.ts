// Who is at the front door: a code (typed, or in a link) is swapped for a session — a random id
// in an HttpOnly SameSite=Strict cookie — that names one student or the tutor. Each session has
// its own API key, which only the panel page served to that session carries (as on a laptop:
// the API opens for the page, never for a cookie alone). Every use checks the code book again,
// so rotating a code ends its sessions at once. Wrong codes are counted per client address and
// slowed down: codes have 60 random bits, the limit only keeps the log and the CPU quiet.
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { sameToken } from '../../../serve/access.js';
import { cookieValues } from '../../../serve/cookies.js';
import type { CodeStore, Principal } from '../codes.js';

export interface FrontDoorSession {
  id: string;
  who: Principal;
  /** The code's hash when the session began: the session ends when the code is rotated. */
  codeHash: string;
  apiKey: string;
  since: number;
}

export const sessionCookieName = (port: number): string => `coursedock_class_${port}`;

export interface SignInOptions {
  /** Wrong codes allowed per client address per window. */
  maxFailures?: number;
  windowMs?: number;
  now?: () => number;
}

export type SignInResult = { ok: true; session: FrontDoorSession } | { ok: false; reason: 'wrong-code' | 'too-many' };

export class SignIns {
  private readonly sessions = new Map<string, FrontDoorSession>();
  private readonly failures = new Map<string, { count: number; since: number }>();
  private readonly maxFailures: number;
  private readonly windowMs: number;
  private readonly now: () => number;

  constructor(
    private readonly codes: CodeStore,
    options: SignInOptions = {},
  ) {
    this.maxFailures = options.maxFailures ?? 20;
    this.windowMs = options.windowMs ?? 60_000;
    this.now = options.now ?? Date.now;
  }

  signIn(typed: string, client: string): SignInResult {
    const t = this.now();
    const f = this.failures.get(client);
    if (f && t - f.since < this.windowMs && f.count >= this.maxFailures) return { ok: false, reason: 'too-many' };
    const who = typed.length <= 64 ? this.codes.whoHas(typed) : undefined;
    const codeHash = who && this.codes.hashOf(who);
    if (!who || !codeHash) {
      const fresh = !f || t - f.since >= this.windowMs;
      this.failures.set(client, { count: fresh ? 1 : f.count + 1, since: fresh ? t : f.since });
      return { ok: false, reason: 'wrong-code' };
    }
    const session: FrontDoorSession = {
      id: randomBytes(24).toString('base64url'),
      who,
      codeHash,
      apiKey: randomBytes(24).toString('base64url'),
      since: t,
    };
    this.sessions.set(session.id, session);
    return { ok: true, session };
  }

  /** The live session a request's cookie names (any of several same-named cookies), if any. */
  fromRequest(req: Pick<IncomingMessage, 'headers'>, port: number): FrontDoorSession | undefined {
    for (const id of cookieValues(req.headers.cookie, sessionCookieName(port))) {
      const s = this.live(id);
      if (s) return s;
    }
    return undefined;
  }

  /** The session whose API key this is, if it is still live. */
  byApiKey(key: string): FrontDoorSession | undefined {
    for (const s of this.sessions.values()) if (sameToken(key, s.apiKey)) return this.live(s.id);
    return undefined;
  }

  signOut(id: string): void {
    this.sessions.delete(id);
  }

  private live(id: string): FrontDoorSession | undefined {
    const s = this.sessions.get(id);
    if (!s) return undefined;
    if (!this.codes.stillValid(s.who, s.codeHash)) {
      this.sessions.delete(id);
      return undefined;
    }
    return s;
  }
}
