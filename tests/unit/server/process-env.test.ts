import { describe, expect, it } from 'vitest';
import { serverProcessEnv } from '../../../server/process-env';

describe('serverProcessEnv', () => {
  it('limits glibc to two malloc arenas and keeps the rest of the environment', () => {
    const env = serverProcessEnv({ PATH: '/usr/bin', BULLPEN_DATA_DIR: '/var/lib/bullpen' });
    expect(env).toEqual({ MALLOC_ARENA_MAX: '2', PATH: '/usr/bin', BULLPEN_DATA_DIR: '/var/lib/bullpen' });
  });

  it('leaves a value the operator set alone', () => {
    expect(serverProcessEnv({ MALLOC_ARENA_MAX: '4' }).MALLOC_ARENA_MAX).toBe('4');
  });
});
