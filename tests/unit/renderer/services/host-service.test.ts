import { beforeEach, describe, expect, it } from 'vitest';
import type { CallSummary } from '../../../../contract';
import { createBrowserPlatform } from '../../../../renderer/src/platform/browser-platform';
import { HostService } from '../../../../renderer/src/services/host-service';
import { initialHost, store } from '../../../../renderer/src/state/store';

const call = { id: 'c1', title: 'Renewal call', startedAt: Date.now() - 60_000 } as CallSummary;

describe('HostService.endedWhileAway', () => {
  const service = new HostService(createBrowserPlatform(), () => null, () => []);
  beforeEach(() => store.set({ host: { ...initialHost, phase: 'live', call } }));

  it('ends the hosted call on this side as timed out, with the plain words', () => {
    service.endedWhileAway('c1', 'Your call ended while this computer was asleep.');
    expect(store.get().host).toMatchObject({ phase: 'ended', endedReason: 'host-timeout', awayNote: 'Your call ended while this computer was asleep.', error: null });
  });

  it('ignores another call and a call that is not live', () => {
    service.endedWhileAway('c2', 'gone');
    expect(store.get().host.phase).toBe('live');
    store.host({ phase: 'ending' });
    service.endedWhileAway('c1', 'gone');
    expect(store.get().host).toMatchObject({ phase: 'ending', awayNote: null });
  });
});
