import { beforeEach, describe, expect, it } from 'vitest';
import { describeError } from '../../../../renderer/src/api/errors';
import { ListenService } from '../../../../renderer/src/services/listen-service';
import { initialListen, store } from '../../../../renderer/src/state/store';

describe('ListenService.onRevoked', () => {
  const service = new ListenService(() => null, () => []);
  beforeEach(() => store.set({ listen: { ...initialListen, phase: 'playing', callId: 'c1' } }));

  it('ends the listen with the server’s reason, shown as written', () => {
    service.onRevoked('c1', 'Your access changed. Only managers can listen to this call.');
    const { listen } = store.get();
    expect(listen.phase).toBe('ended');
    expect(listen.error?.code).toBe('NOT_ALLOWED');
    expect(describeError(listen.error!)).toBe('Your access changed. Only managers can listen to this call.');
  });

  it('ignores a revocation for another call', () => {
    service.onRevoked('c2', 'Your access changed.');
    expect(store.get().listen).toMatchObject({ phase: 'playing', callId: 'c1', error: null });
  });
});

describe('ListenService.onMediaLost', () => {
  const service = new ListenService(() => null, () => []);
  beforeEach(() => store.set({ listen: { ...initialListen, phase: 'playing', callId: 'c1' } }));

  it('rejoins the call whose node died, on its own', () => {
    service.onMediaLost('c1');
    expect(store.get().listen).toMatchObject({ phase: 'rejoining', callId: 'c1', error: null });
  });

  it('ignores a lost node of another call', () => {
    service.onMediaLost('c2');
    expect(store.get().listen).toMatchObject({ phase: 'playing', callId: 'c1' });
  });
});

describe('ListenService.endedWhileAway', () => {
  const service = new ListenService(() => null, () => []);
  beforeEach(() => store.set({ listen: { ...initialListen, phase: 'rejoining', callId: 'c1' } }));

  it('ends the listen with the words it is given, instead of rejoining', () => {
    service.endedWhileAway('c1', 'The call ended while this computer was offline.');
    const { listen } = store.get();
    expect(listen.phase).toBe('ended');
    expect(describeError(listen.error!)).toBe('The call ended while this computer was offline.');
  });

  it('ignores another call, and a listen that is no longer active', () => {
    service.endedWhileAway('c2', 'The call ended.');
    expect(store.get().listen.phase).toBe('rejoining');
    store.listen({ phase: 'failed' });
    service.endedWhileAway('c1', 'The call ended.');
    expect(store.get().listen.phase).toBe('failed');
  });
});
