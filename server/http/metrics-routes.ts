import { exportRoutes, routes } from '../../contract';
import type { MetricsService } from '../metrics/metrics-service';
import type { ContractRoutes } from './contract-routes';

/** Declares the weekly metrics and their CSV export: each parses, calls one service method and replies. */
export function registerMetricsRoutes(router: ContractRoutes, metrics: MetricsService): void {
  router.authed(routes.metrics, async ({ caller, query }) => await metrics.weekly(caller, query));
  router.download(exportRoutes.metricsCsv, async ({ caller, query }) => {
    const { fileName, text } = await metrics.csv(caller, query);
    return { contentType: 'text/csv; charset=utf-8', fileName, body: text };
  });
}
