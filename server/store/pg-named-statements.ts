import { createHash } from 'node:crypto';
import type { PostgresPool, PostgresPoolClient } from 'kysely';
import pg from 'pg';
import { PgAvailability } from './pg-availability';

/** Statements worth preparing once per connection: data queries, not DDL or BEGIN/COMMIT. */
const PREPARABLE = /^\s*(select|insert|update|delete|with)\b/i;

/**
 * A pg Pool whose clients run Kysely's queries as named prepared statements: the name is a
 * hash of the SQL text, so each connection parses and plans a query shape once and then only
 * binds parameters (pg remembers the names it prepared per connection).
 *
 * It is also where an unreachable database is noticed: a connection that cannot be opened or
 * a query cut off by a stopping server fails as UNAVAILABLE (see pg-availability.ts).
 */
export class NamedStatementPool implements PostgresPool {
  readonly #pool: pg.Pool;
  readonly #wrapped = new WeakMap<pg.PoolClient, PostgresPoolClient>();
  readonly #names = new Map<string, string>();
  /** Statements prepared on some connection (first use of a name on each connection). */
  preparedCount = 0;
  readonly #preparedOn = new WeakMap<pg.PoolClient, Set<string>>();
  readonly #availability: PgAvailability;

  constructor(pool: pg.Pool, availability = new PgAvailability()) {
    this.#pool = pool;
    this.#availability = availability;
  }

  get raw(): pg.Pool {
    return this.#pool;
  }

  async connect(): Promise<PostgresPoolClient> {
    const client = await this.#pool.connect().catch((error: unknown) => this.#availability.fail(error));
    this.#availability.reached();
    let wrapped = this.#wrapped.get(client);
    if (!wrapped) {
      // pg emits 'error' on a checked-out client whose server goes away (a restart) even when a
      // query also rejects with it; unheard, that event would end the process. The query's
      // rejection is the one that matters; the pool drops the client when it is released.
      client.on('error', () => undefined);
      wrapped = {
        query: ((text: unknown, values?: unknown[]) =>
          (typeof text === 'string' && PREPARABLE.test(text)
            ? client.query({ name: this.#nameOf(client, text), text, values })
            : client.query(text as string, values)
          ).catch((error: unknown) => this.#availability.fail(error))) as unknown as PostgresPoolClient['query'],
        release: (destroy?: boolean) => client.release(destroy),
      };
      this.#wrapped.set(client, wrapped);
    }
    return wrapped;
  }

  end(): Promise<void> {
    return this.#pool.end();
  }

  #nameOf(client: pg.PoolClient, sql: string): string {
    let name = this.#names.get(sql);
    if (!name) {
      name = `k_${createHash('sha1').update(sql).digest('base64url')}`;
      this.#names.set(sql, name);
    }
    let prepared = this.#preparedOn.get(client);
    if (!prepared) this.#preparedOn.set(client, (prepared = new Set()));
    if (!prepared.has(name)) {
      prepared.add(name);
      this.preparedCount++;
    }
    return name;
  }
}

/** Parses BIGINT (times in ms, counts) as a JS number: every value we store fits in 2^53. */
export const pgTypes = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === pg.types.builtins.INT8 ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format as 'text')) as pg.CustomTypesConfig['getTypeParser'],
};
