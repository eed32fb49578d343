import { sql, type RawBuilder } from 'kysely';

/** What a deactivated member's name carries where their work is shown. */
export const DEACTIVATED_SUFFIX = ' (deactivated)';

/**
 * A joined user's name as their clips and talk tracks show it: "Dana Rep (deactivated)" while an
 * admin has deactivated them, plain otherwise (a deleted member's name is already "Former
 * member"). `alias` is the joined users table's alias. `||` concatenates on both engines.
 */
export function shownName(alias: string): RawBuilder<string> {
  const col = (c: string) => sql.ref(`${alias}.${c}`);
  return sql<string>`CASE WHEN ${col('deactivated_at')} IS NOT NULL AND ${col('deleted_at')} IS NULL THEN ${col('name')} || ${DEACTIVATED_SUFFIX} ELSE ${col('name')} END`;
}
