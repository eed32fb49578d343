import { describe, expect, it } from 'vitest';
import { parseRoute, routeHref } from '../../../../renderer/src/routing';

describe('the metrics route', () => {
  it('reads #/metrics and builds it back', () => {
    expect(parseRoute('#/metrics')).toEqual({ name: 'metrics' });
    expect(parseRoute('#/metrics/extra')).toEqual({ name: 'metrics' });
    expect(routeHref({ name: 'metrics' })).toBe('#/metrics');
  });
});
