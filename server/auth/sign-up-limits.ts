import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import { consumeOrRefuse, rateLimited, type LimiterFactory } from '../limits/limiter-factory';

/**
 * Limits on the unauthenticated invite paths, so neither invite codes nor other teams' emails
 * can be probed in bulk:
 * - `previewsPerAddress`: invite look-ups from one address (guessing codes);
 * - `signUpsPerAddress`: sign-up attempts from one address, whatever their outcome;
 * - `takenEmailsPerInvite`: sign-ups refused for a taken email on one invite; past it, the
 *   invite cannot be used to ask about emails again that day.
 */
export const SIGN_UP_LIMITS = {
  previewsPerAddress: { points: 60, duration: 10 * 60 },
  signUpsPerAddress: { points: 10, duration: 10 * 60 },
  takenEmailsPerInvite: { points: 3, duration: 24 * 60 * 60 },
} as const;

/** Per-address and per-invite limits of invite previews and sign-ups. */
export class SignUpLimits {
  readonly #previews: RateLimiterAbstract;
  readonly #signUps: RateLimiterAbstract;
  readonly #takenEmails: RateLimiterAbstract;

  constructor(limiters: LimiterFactory) {
    this.#previews = limiters({ keyPrefix: 'invite-previews', ...SIGN_UP_LIMITS.previewsPerAddress });
    this.#signUps = limiters({ keyPrefix: 'sign-ups', ...SIGN_UP_LIMITS.signUpsPerAddress });
    this.#takenEmails = limiters({ keyPrefix: 'sign-up-taken-emails', ...SIGN_UP_LIMITS.takenEmailsPerInvite });
  }

  /** Counts an invite look-up from `address`; RATE_LIMITED past the limit. */
  preview(address: string): Promise<void> {
    return consumeOrRefuse(this.#previews, address, 'Too many invite look-ups from your network.');
  }

  /** Counts a sign-up attempt from `address`; RATE_LIMITED past the limit. */
  signUp(address: string): Promise<void> {
    return consumeOrRefuse(this.#signUps, address, 'Too many sign-up attempts from your network.');
  }

  /** RATE_LIMITED when the invite was already refused too often for taken emails. */
  async checkInvite(inviteId: string): Promise<void> {
    const res = await this.#takenEmails.get(inviteId);
    if (res && res.consumedPoints >= SIGN_UP_LIMITS.takenEmailsPerInvite.points) {
      throw rateLimited('This invite was tried with too many emails that cannot be used.', res.msBeforeNext);
    }
  }

  /** Records a sign-up on this invite refused for a taken email. */
  async takenEmail(inviteId: string): Promise<void> {
    await this.#takenEmails.penalty(inviteId);
  }
}
