import type BetterSqlite3 from 'better-sqlite3';
import type { SqliteDatabase, SqliteStatement } from 'kysely';

/**
 * Kysely's SqliteDriver calls `db.prepare(sql)` for every query; better-sqlite3 would compile
 * the statement again each time. This wrapper keeps compiled statements by SQL text (Kysely
 * always produces the same text for the same query shape), least recently used dropped first.
 */
export class SqliteStatementCache implements SqliteDatabase {
  readonly #db: BetterSqlite3.Database;
  readonly #limit: number;
  readonly #statements = new Map<string, BetterSqlite3.Statement>();
  /** How many statements were compiled (not served from the cache): for tests and metrics. */
  prepared = 0;

  constructor(db: BetterSqlite3.Database, limit = 500) {
    this.#db = db;
    this.#limit = limit;
  }

  get raw(): BetterSqlite3.Database {
    return this.#db;
  }

  prepare(sql: string): SqliteStatement {
    let statement = this.#statements.get(sql);
    if (statement) {
      // Move to the most recently used end.
      this.#statements.delete(sql);
    } else {
      statement = this.#db.prepare(sql);
      this.prepared++;
      if (this.#statements.size >= this.#limit) this.#statements.delete(this.#statements.keys().next().value!);
    }
    this.#statements.set(sql, statement);
    return statement as unknown as SqliteStatement;
  }

  close(): void {
    this.#statements.clear();
    this.#db.close();
  }
}
