import { routes } from '../../contract';
import type { AuditLog } from '../audit/audit-log';
import type { ContractRoutes } from './contract-routes';

/** Declares the audit log's routes (admins only: the log checks). */
export function registerAuditRoutes(router: ContractRoutes, audit: AuditLog): void {
  router.authed(routes.audit, async ({ caller, query }) => await audit.page(caller, query));
  router.authed(routes.auditExport, async ({ caller, query }) => await audit.export(caller, query));
  router.authed(routes.auditSettings, async ({ caller }) => ({ settings: { retentionDays: await audit.retentionDays(caller) } }));
  router.authed(routes.updateAuditSettings, async ({ caller, body }) => ({
    settings: { retentionDays: await audit.setRetentionDays(caller, body.retentionDays) },
  }));
}
