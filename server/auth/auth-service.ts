import {
  ACCOUNT_DEACTIVATED_MESSAGE,
  BullpenError,
  PASSWORD_RESET_SIGNED_OUT_MESSAGE,
  SESSION_EXPIRED_MESSAGE,
  type AuthReply,
  type InvitePreviewReply,
  type LoginBody,
  type SetupBody,
  type SignupBody,
  type Team,
  type User,
} from '../../contract';
import type { Logger } from '../logger';
import type { SessionStore } from '../store/session-store';
import type { TeamStore } from '../store/team-store';
import { memoryLimiters, type LimiterFactory } from '../limits/limiter-factory';
import { DEFAULT_PASSWORD_COST, dummyHash, hashPassword, verifyPassword } from './password';
import { assertStrongPassword } from './password-policy';
import { SignInThrottle, type SignInLimits } from './sign-in-throttle';
import { SignUpLimits } from './sign-up-limits';

/** Who is calling: resolved from a session token on every request and socket. */
export interface Caller {
  user: User;
  team: Team;
  sessionId: string;
  /** When the session expires unless it is used again (see `watchSession`). */
  sessionExpiresAt: number;
}

/**
 * What the audit log hears from sign-in and sign-up (server/audit hooks it here). Optional so
 * tools that build an AuthService alone need not bring one.
 */
export interface AuthAudit {
  signedIn(user: User, client: ClientInfo): void;
  signInFailed(user: User, client: ClientInfo, why: 'wrong-password' | 'deactivated'): void;
  signedUp(user: User, inviteId: string, client: ClientInfo): void;
}

/** Longest timer `watchSession` sets before it looks again (setTimeout caps out near 24.8 days). */
const WATCH_HOP_MS = 60 * 60_000;

/** Where a request came from: the client's address (see the trust-proxy setting) and browser. */
export interface ClientInfo {
  address: string;
  userAgent: string;
}

/**
 * Set-up, sign-up, sign-in and token resolution: the one place that decides who may get a
 * session. Sign-in is throttled per (account, address) and per address; invite previews and
 * sign-ups per address; new passwords must be long and hard to guess.
 */
export class AuthService {
  readonly #teams: TeamStore;
  readonly #sessions: SessionStore;
  readonly #log: Logger;
  readonly #signIn: SignInThrottle;
  readonly #signUp: SignUpLimits;
  readonly #audit: AuthAudit | undefined;
  readonly #passwordCost: number;

  constructor(opts: {
    teams: TeamStore;
    sessions: SessionStore;
    log: Logger;
    limiters?: LimiterFactory;
    signInLimits?: SignInLimits;
    audit?: AuthAudit;
    /** scrypt cost of new password hashes (see password.ts); only tests lower it. */
    passwordCost?: number;
  }) {
    this.#audit = opts.audit;
    this.#passwordCost = opts.passwordCost ?? DEFAULT_PASSWORD_COST;
    // Made now, so that the first sign-in with an unknown email takes no longer than the others.
    void dummyHash(this.#passwordCost);
    this.#teams = opts.teams;
    this.#sessions = opts.sessions;
    this.#log = opts.log;
    const limiters = opts.limiters ?? memoryLimiters;
    this.#signIn = new SignInThrottle({ limiters, log: opts.log, limits: opts.signInLimits });
    this.#signUp = new SignUpLimits(limiters);
  }

  async needsSetup(): Promise<boolean> {
    return !(await this.#teams.hasAnyTeam());
  }

  async setup(body: SetupBody, client: ClientInfo): Promise<AuthReply> {
    if (!(await this.needsSetup())) throw new BullpenError('SETUP_DONE', 'This server is already set up. Sign in instead.');
    assertStrongPassword(body.password, body);
    const passwordHash = await hashPassword(body.password, this.#passwordCost);
    const user = await this.#teams.createTeamWithAdmin({ ...body, passwordHash });
    return this.#startSession(user, client.userAgent);
  }

  /** The team and role an invite code grants; looked up at most so often per address. */
  async previewInvite(code: string, client: ClientInfo): Promise<InvitePreviewReply> {
    await this.#signUp.preview(client.address);
    const invite = await this.#teams.previewInvite(code);
    return { teamName: invite.teamName, role: invite.role };
  }

  /**
   * Signs a person up with an invite. A taken email (in this team or any other) gets one
   * generic EMAIL_TAKEN reply after the same password hash a sign-up spends, and each invite
   * answers that only a few times: an invite cannot be used to probe who has an account.
   */
  async signup(body: SignupBody, client: ClientInfo): Promise<AuthReply> {
    await this.#signUp.signUp(client.address);
    const invite = await this.#teams.previewInvite(body.inviteCode); // fail fast before spending a hash
    await this.#signUp.checkInvite(invite.inviteId);
    assertStrongPassword(body.password, { ...body, teamName: invite.teamName });
    const passwordHash = await hashPassword(body.password, this.#passwordCost);
    try {
      const user = await this.#teams.redeemInvite({ code: body.inviteCode, name: body.name, email: body.email, passwordHash });
      this.#audit?.signedUp(user, invite.inviteId, client);
      return await this.#startSession(user, client.userAgent);
    } catch (error) {
      if (error instanceof BullpenError && error.code === 'EMAIL_TAKEN') {
        await this.#signUp.takenEmail(invite.inviteId);
        this.#log.warn('sign-up refused: email taken', { email: body.email, address: client.address, inviteId: invite.inviteId });
      }
      throw error;
    }
  }

  async login(body: LoginBody, client: ClientInfo): Promise<AuthReply> {
    let deactivated = false;
    const user = await this.#signIn.attempt(body.email, client.address, async () => {
      const found = await this.#teams.credentialsByEmail(body.email);
      // Spend the same time whether or not the email exists.
      const valid = await verifyPassword(body.password, found?.passwordHash ?? (await dummyHash(this.#passwordCost)));
      // Failures of unknown emails belong to no team: only the server log has them.
      if (found && !valid) this.#audit?.signInFailed(found.user, client, 'wrong-password');
      // A deactivated member is told so only with the right password, and it counts as a failure.
      if (found && valid && found.deactivated) {
        deactivated = true;
        this.#audit?.signInFailed(found.user, client, 'deactivated');
        return undefined;
      }
      return valid ? found?.user : undefined;
    });
    if (deactivated) throw new BullpenError('FORBIDDEN', ACCOUNT_DEACTIVATED_MESSAGE);
    if (!user) throw new BullpenError('BAD_CREDENTIALS', 'Email or password is incorrect.');
    this.#audit?.signedIn(user, client);
    return this.#startSession(user, client.userAgent);
  }

  /** The caller behind a token, or UNAUTHENTICATED (saying so when the session expired). */
  async authenticate(token: string | undefined): Promise<Caller> {
    const session = token ? await this.#sessions.resolve(token) : undefined;
    if (session?.status === 'expired') throw new BullpenError('UNAUTHENTICATED', SESSION_EXPIRED_MESSAGE);
    if (session?.status === 'revoked') {
      const message = session.reason === 'deactivated' ? ACCOUNT_DEACTIVATED_MESSAGE : session.reason === 'password-reset' ? PASSWORD_RESET_SIGNED_OUT_MESSAGE : undefined;
      throw new BullpenError('UNAUTHENTICATED', message ?? 'Your session has ended. Sign in again.');
    }
    // A member deactivated a moment ago (their sessions are being revoked) is refused too.
    const user = session ? await this.#teams.userById(session.userId) : undefined;
    if (session && !user) throw new BullpenError('UNAUTHENTICATED', ACCOUNT_DEACTIVATED_MESSAGE);
    if (!session || !user) throw new BullpenError('UNAUTHENTICATED', 'Your session has ended. Sign in again.');
    return { user, team: await this.#teams.team(user.teamId), sessionId: session.sessionId, sessionExpiresAt: session.expiresAt };
  }

  /**
   * Watches a long-lived connection's session: when it expires (or is found gone on a look at
   * least hourly, which also counts as use of an open connection), `ended` is called with the
   * UNAUTHENTICATED error, as a revocation would end it. Returns a function that stops watching.
   */
  watchSession(token: string, session: { sessionId: string; expiresAt: number }, ended: (error: BullpenError) => void): () => void {
    let timer: NodeJS.Timeout | undefined;
    let stopped = false;
    const schedule = (expiresAt: number) => {
      // A little past the moment, so the look finds the session expired rather than just alive.
      const delay = Math.min(Math.max(0, expiresAt - this.#sessions.now()) + 50, WATCH_HOP_MS);
      timer = setTimeout(() => void look(), delay);
      timer.unref();
    };
    const look = async () => {
      try {
        const current = await this.authenticate(token);
        if (!stopped) schedule(current.sessionExpiresAt);
      } catch (error) {
        if (stopped) return;
        if (error instanceof BullpenError && error.code === 'UNAUTHENTICATED') ended(error);
        else {
          this.#log.warn('session check failed; trying again later', { sessionId: session.sessionId, error });
          schedule(this.#sessions.now() + WATCH_HOP_MS);
        }
      }
    };
    schedule(session.expiresAt);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }

  async #startSession(user: User, userAgent: string): Promise<AuthReply> {
    const { token } = await this.#sessions.create(user.id, userAgent);
    return { token, user, team: await this.#teams.team(user.teamId) };
  }
}
