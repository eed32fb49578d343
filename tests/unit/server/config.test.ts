import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../server/config';

describe('loadConfig', () => {
  it('uses defaults, then environment, then flags', () => {
    expect(loadConfig([], {})).toMatchObject({ port: 4280, host: '0.0.0.0', dataDir: resolve('data'), logLevel: 'info' });
    expect(loadConfig([], { PORT: '5000', BULLPEN_DATA_DIR: '/tmp/bp' })).toMatchObject({ port: 5000, dataDir: '/tmp/bp' });
    expect(
      loadConfig(['--port', '6000', '--data-dir=/srv/bp', '--ice-servers', 'stun:a:3478, stun:b:3478', '--rtc-port-range', '40000-40100', '--rtc-udp-port', '4280'], {
        PORT: '5000',
      }),
    ).toMatchObject({ port: 6000, dataDir: '/srv/bp', iceServers: ['stun:a:3478', 'stun:b:3478'], rtcPortRange: { begin: 40000, end: 40100 }, rtcUdpPort: 4280 });
  });

  it('runs on PostgreSQL when given a postgres:// URL by flag or environment', () => {
    expect(loadConfig([], {}).databaseUrl).toBeUndefined();
    expect(loadConfig([], { BULLPEN_DATABASE_URL: 'postgres://bp@db:5432/bullpen' }).databaseUrl).toBe('postgres://bp@db:5432/bullpen');
    expect(loadConfig(['--database-url', 'postgresql://bp@db/b'], { BULLPEN_DATABASE_URL: 'postgres://x@y/z' }).databaseUrl).toBe(
      'postgresql://bp@db/b',
    );
    expect(() => loadConfig(['--database-url', 'mysql://bp@db/b'], {})).toThrow(/databaseUrl: must be a postgres:\/\/ URL/);
  });

  it('names the bad setting', () => {
    expect(() => loadConfig(['--port', 'eighty'], {})).toThrow(/port/);
    expect(() => loadConfig(['--port', '70000'], {})).toThrow(/port/);
    expect(() => loadConfig(['--colour', 'blue'], {})).toThrow(/Unknown option --colour/);
    expect(() => loadConfig(['--port'], {})).toThrow(/needs a value/);
    expect(() => loadConfig([], { LOG_LEVEL: 'chatty' })).toThrow(/logLevel/);
    expect(() => loadConfig(['--rtc-port-range', '50000-40000'], {})).toThrow(/rtcPortRange/);
    expect(() => loadConfig(['--rtc-udp-port', '80'], {})).toThrow(/rtcUdpPort/);
  });
});
