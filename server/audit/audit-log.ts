import {
  AUDIT_EXPORT_MAX_ROWS,
  AUDIT_PAGE_SIZE,
  type AuditExportReply,
  type AuditKind,
  type AuditPageReply,
  type AuditQuery,
} from '../../contract';
import type { Caller } from '../auth/auth-service';
import type { Logger } from '../logger';
import { assertPeopleAdmin, actorOf } from '../people/people-policy';
import type { AuditFilter, AuditStore } from '../store/audit-store';
import { auditCsv } from './audit-csv';
import { DownloadWindow, type DownloadCounter } from './download-window';

const DAY_MS = 86_400_000;

/** A person as a row names them. */
export interface AuditPerson {
  id: string;
  name: string;
}

/** What happened, as the places that hook the log describe it. */
export interface AuditInput {
  kind: AuditKind;
  actor?: AuditPerson | null;
  subject?: AuditPerson | null;
  target?: { id: string; label: string | null } | null;
  detail?: string;
  at?: number;
}

/**
 * The team's audit log: the only writer of audit rows (`record`), the admins' reader and
 * exporter, and its retention (pruned at start-up and daily). Writes never fail the action
 * they describe: a failed write is logged, and `idle()` waits for those in flight.
 */
export class AuditLog {
  readonly #store: AuditStore;
  readonly #log: Logger;
  readonly #now: () => number;
  readonly #pending = new Set<Promise<void>>();
  readonly #downloads: DownloadCounter;
  #timer: NodeJS.Timeout | undefined;

  /** `downloads`: where download continuations are remembered (this process by default; Redis in cluster mode). */
  constructor(opts: { store: AuditStore; log: Logger; now?: () => number; downloads?: DownloadCounter }) {
    this.#store = opts.store;
    this.#downloads = opts.downloads ?? new DownloadWindow();
    this.#log = opts.log;
    this.#now = opts.now ?? Date.now;
  }

  /** Writes one row for `teamId`; resolves once it is stored (or its failure logged). */
  record(teamId: string, input: AuditInput): Promise<void> {
    const write = this.#store
      .insert(teamId, {
        at: input.at ?? this.#now(),
        kind: input.kind,
        actorId: input.actor?.id ?? null,
        actorName: input.actor?.name ?? null,
        subjectId: input.subject?.id ?? null,
        subjectName: input.subject?.name ?? null,
        targetId: input.target?.id ?? null,
        targetLabel: input.target?.label ?? null,
        detail: input.detail ?? '',
      })
      .catch((error: unknown) => this.#log.error('audit row could not be written', { teamId, kind: input.kind, error }));
    this.#pending.add(write);
    void write.finally(() => this.#pending.delete(write));
    return write;
  }

  /**
   * An audio file was requested: records a download unless it continues one (see
   * DownloadWindow for the rule). `request` is the HTTP method and Range header.
   */
  downloaded(
    caller: Caller,
    kind: 'clip-downloaded' | 'recording-downloaded',
    target: { id: string; label: string },
    request: { method: string; range: string | undefined },
  ): Promise<void> {
    const record = (yes: boolean) => (yes ? this.record(caller.team.id, { kind, actor: actorOf(caller), target }) : Promise.resolve());
    const counts = this.#downloads.counts(`${caller.user.id}:${kind}:${target.id}`, request, this.#now());
    // The in-process window answers at once (no extra turn for the embedded default); Redis later.
    return typeof counts === 'boolean' ? record(counts) : counts.then(record);
  }

  /** Resolves once every row recorded so far is written. */
  async idle(): Promise<void> {
    while (this.#pending.size > 0) await Promise.all([...this.#pending]);
  }

  /** Admins: one page of the filtered log, newest first. */
  async page(caller: Caller, query: AuditQuery): Promise<AuditPageReply> {
    assertPeopleAdmin(caller);
    const { events, total } = await this.#store.page(caller.team.id, filterOf(query), (query.page - 1) * AUDIT_PAGE_SIZE, AUDIT_PAGE_SIZE);
    return { events, page: query.page, pages: Math.max(1, Math.ceil(total / AUDIT_PAGE_SIZE)), total };
  }

  /** Admins: the filtered log (every page, up to AUDIT_EXPORT_MAX_ROWS) as CSV. */
  async export(caller: Caller, query: AuditQuery): Promise<AuditExportReply> {
    assertPeopleAdmin(caller);
    const { events, total } = await this.#store.page(caller.team.id, filterOf(query), 0, AUDIT_EXPORT_MAX_ROWS);
    const day = new Date(this.#now()).toISOString().slice(0, 10);
    return { filename: `bullpen-audit-${day}.csv`, csv: auditCsv(events), rows: events.length, truncated: total > events.length };
  }

  async retentionDays(caller: Caller): Promise<number> {
    assertPeopleAdmin(caller);
    return this.#store.retentionDays(caller.team.id);
  }

  /** Admins change how long rows are kept; the change is itself logged, and applied at once. */
  async setRetentionDays(caller: Caller, days: number): Promise<number> {
    assertPeopleAdmin(caller);
    const before = await this.#store.retentionDays(caller.team.id);
    if (before !== days) {
      await this.#store.setRetentionDays(caller.team.id, days);
      await this.record(caller.team.id, { kind: 'audit-retention-changed', actor: actorOf(caller), detail: `${before} → ${days} days` });
      await this.prune();
    }
    return days;
  }

  /** Deletes rows past each team's retention at `now`; returns how many. */
  async prune(now = this.#now()): Promise<number> {
    const deleted = await this.#store.prune(now);
    if (deleted > 0) this.#log.info('audit rows past retention deleted', { deleted });
    return deleted;
  }

  /** Prunes now and then daily (the server calls this once at start-up). */
  async start(): Promise<void> {
    await this.prune();
    this.#timer = setInterval(() => {
      this.prune().catch((error: unknown) => this.#log.error('audit pruning failed', { error }));
    }, DAY_MS);
    this.#timer.unref();
  }

  /** Stops the daily pruning and waits for rows in flight. Idempotent. */
  async close(): Promise<void> {
    clearInterval(this.#timer);
    await this.idle();
  }
}

/** The query's days (UTC) as a time range: `from` from its midnight, `to` through its end. */
function filterOf(q: AuditQuery): AuditFilter {
  return {
    kind: q.kind,
    person: q.person,
    fromMs: q.from ? Date.parse(q.from) : undefined,
    toMs: q.to ? Date.parse(q.to) + DAY_MS : undefined,
  };
}
