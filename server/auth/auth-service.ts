import { BullpenError, type AuthReply, type LoginBody, type SetupBody, type SignupBody, type Team, type User } from '../../contract';
import type { SessionStore } from '../store/session-store';
import type { TeamStore } from '../store/team-store';
import { dummyHashPromise, hashPassword, verifyPassword } from './password';
import { RateLimiter } from './rate-limiter';

/** Who is calling: resolved from a session token on every request and socket. */
export interface Caller {
  user: User;
  team: Team;
  sessionId: string;
}

/** Set-up, sign-up, sign-in and token resolution. */
export class AuthService {
  readonly #teams: TeamStore;
  readonly #sessions: SessionStore;
  readonly #loginLimiter = new RateLimiter(10, 10 * 60_000);

  constructor(teams: TeamStore, sessions: SessionStore) {
    this.#teams = teams;
    this.#sessions = sessions;
  }

  async needsSetup(): Promise<boolean> {
    return !(await this.#teams.hasAnyTeam());
  }

  async setup(body: SetupBody, userAgent: string): Promise<AuthReply> {
    if (!(await this.needsSetup())) throw new BullpenError('SETUP_DONE', 'This server is already set up. Sign in instead.');
    const passwordHash = await hashPassword(body.password);
    const user = await this.#teams.createTeamWithAdmin({ ...body, passwordHash });
    return this.#startSession(user, userAgent);
  }

  async signup(body: SignupBody, userAgent: string): Promise<AuthReply> {
    await this.#teams.previewInvite(body.inviteCode); // fail fast before spending a hash
    const passwordHash = await hashPassword(body.password);
    const user = await this.#teams.redeemInvite({ code: body.inviteCode, name: body.name, email: body.email, passwordHash });
    return this.#startSession(user, userAgent);
  }

  async login(body: LoginBody, userAgent: string, address: string): Promise<AuthReply> {
    if (!this.#loginLimiter.take(`email:${body.email}`) || !this.#loginLimiter.take(`addr:${address}`)) {
      throw new BullpenError('RATE_LIMITED', 'Too many sign-in attempts. Wait a few minutes and try again.');
    }
    const found = await this.#teams.credentialsByEmail(body.email);
    // Spend the same time whether or not the email exists.
    const valid = await verifyPassword(body.password, found?.passwordHash ?? (await dummyHashPromise));
    if (!found || !valid) throw new BullpenError('BAD_CREDENTIALS', 'Email or password is incorrect.');
    return this.#startSession(found.user, userAgent);
  }

  /** The caller behind a token, or UNAUTHENTICATED. */
  async authenticate(token: string | undefined): Promise<Caller> {
    const session = token ? await this.#sessions.resolve(token) : undefined;
    const user = session ? await this.#teams.userById(session.userId) : undefined;
    if (!session || !user) throw new BullpenError('UNAUTHENTICATED', 'Your session has ended. Sign in again.');
    return { user, team: await this.#teams.team(user.teamId), sessionId: session.sessionId };
  }

  async #startSession(user: User, userAgent: string): Promise<AuthReply> {
    const { token } = await this.#sessions.create(user.id, userAgent);
    return { token, user, team: await this.#teams.team(user.teamId) };
  }
}
