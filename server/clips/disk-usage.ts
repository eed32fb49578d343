import { BullpenError, can, type TeamUsage } from '../../contract';
import type { Caller } from '../auth/auth-service';
import type { RateLimits } from '../limits/rate-limits';
import type { UsageStore } from '../store/usage-store';

/** What a team's audio takes on disk and how much of today's clip budget it used: admins only. */
export class DiskUsageService {
  readonly #store: UsageStore;
  readonly #limits: RateLimits;

  constructor(store: UsageStore, limits: RateLimits) {
    this.#store = store;
    this.#limits = limits;
  }

  async forTeam(caller: Caller): Promise<TeamUsage> {
    if (!can.manageTeam(caller.user.role)) throw new BullpenError('FORBIDDEN', 'Only admins can see how much disk the team uses.');
    const disk = await this.#store.teamDiskUsage(caller.team.id);
    const budget = await this.#limits.clipBudget(caller.team.id);
    return { ...disk, ...budget };
  }
}
