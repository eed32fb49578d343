import { RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { LIMITS, type LimitName, type LimitSpec } from './limit-policy';
import { consumeOrRefuse, memoryLimiters, rateLimited, type LimiterFactory } from './limiter-factory';

export interface RateLimitsOptions {
  /** Minutes of clip audio a team may cut per day (marks and clips from recordings together). */
  teamClipMinutesPerDay: number;
  /** Where counts are kept (limiter-factory.ts); in this process's memory by default. */
  limiters?: LimiterFactory;
  /** Tests and benchmarks change a limit here; the server uses the table in limit-policy.ts. */
  overrides?: Partial<Record<LimitName, Partial<Omit<LimitSpec, 'message'>>>>;
}

const DAY_SEC = 86_400;

/**
 * The server's rate limits and quotas (see limit-policy.ts), each answered with RATE_LIMITED
 * and `retryAfterSec`. Every entry point calls `take()` with the limit's name and the key it is
 * counted by (a user id, a team id).
 */
export class RateLimits {
  readonly #limiters = new Map<LimitName, { limiter: RateLimiterAbstract; message: string }>();
  readonly #clipBudget: RateLimiterAbstract;
  readonly #clipMinutes: number;

  constructor(opts: RateLimitsOptions) {
    const limiters = opts.limiters ?? memoryLimiters;
    for (const [name, spec] of Object.entries(LIMITS) as [LimitName, LimitSpec][]) {
      const override = opts.overrides?.[name];
      this.#limiters.set(name, {
        limiter: limiters({ keyPrefix: name, points: override?.points ?? spec.points, duration: override?.durationSec ?? spec.durationSec }),
        message: spec.message,
      });
    }
    this.#clipMinutes = opts.teamClipMinutesPerDay;
    // Points are seconds of clip audio.
    this.#clipBudget = limiters({ keyPrefix: 'teamClipSeconds', points: opts.teamClipMinutesPerDay * 60, duration: DAY_SEC });
  }

  /** Spends one point of `name` for `key`; throws RATE_LIMITED (with the wait) when none is left. */
  async take(name: LimitName, key: string): Promise<void> {
    const { limiter, message } = this.#limiters.get(name)!;
    await consumeOrRefuse(limiter, key, message);
  }

  /**
   * Spends `seconds` of a team's daily clip budget. A refused request spends nothing, so a long
   * clip refused near the end of the budget leaves room for short ones.
   */
  async spendClipBudget(teamId: string, seconds: number): Promise<void> {
    const points = Math.max(1, Math.ceil(seconds));
    try {
      await this.#clipBudget.consume(teamId, points);
    } catch (error) {
      if (!(error instanceof RateLimiterRes)) throw error;
      await this.#clipBudget.reward(teamId, points);
      throw rateLimited(
        `Your team has cut its ${this.#clipMinutes} minutes of clips for today. An admin can raise the limit (--team-clip-minutes-per-day).`,
        error.msBeforeNext,
      );
    }
  }

  /** Minutes of clips the team cut in the current day's window, and its daily budget. */
  async clipBudget(teamId: string): Promise<{ clipMinutesToday: number; clipMinutesPerDay: number }> {
    const res = await this.#clipBudget.get(teamId);
    return { clipMinutesToday: Math.ceil(Math.max(0, res?.consumedPoints ?? 0) / 60), clipMinutesPerDay: this.#clipMinutes };
  }

  /** Gives back budget spent for a clip that was not made after all (e.g. its range was outside the recording). */
  async refundClipBudget(teamId: string, seconds: number): Promise<void> {
    await this.#clipBudget.reward(teamId, Math.max(1, Math.ceil(seconds)));
  }
}
