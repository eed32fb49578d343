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

  it('reads --trust-proxy as a switch, a hop count or a list of proxies; off by default', () => {
    expect(loadConfig([], {}).trustProxy).toBe(false);
    expect(loadConfig(['--trust-proxy'], {}).trustProxy).toBe(true);
    expect(loadConfig(['--trust-proxy', '--port', '5000'], {})).toMatchObject({ trustProxy: true, port: 5000 });
    expect(loadConfig(['--trust-proxy=false'], { BULLPEN_TRUST_PROXY: 'true' }).trustProxy).toBe(false);
    expect(loadConfig([], { BULLPEN_TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(loadConfig([], { BULLPEN_TRUST_PROXY: 'loopback, 10.0.0.0/8' }).trustProxy).toEqual(['loopback', '10.0.0.0/8']);
    expect(() => loadConfig(['--trust-proxy', 'my-proxy.example'], {})).toThrow(/trustProxy/);
  });

  it('reads the session idle timeout and lifetime in days (30 and 90 by default)', () => {
    expect(loadConfig([], {})).toMatchObject({ sessionIdleDays: 30, sessionMaxDays: 90 });
    expect(loadConfig(['--session-idle-days', '7'], { BULLPEN_SESSION_MAX_DAYS: '14' })).toMatchObject({ sessionIdleDays: 7, sessionMaxDays: 14 });
    expect(loadConfig(['--session-idle-days=0.5'], { BULLPEN_SESSION_IDLE_DAYS: '3' }).sessionIdleDays).toBe(0.5);
    expect(() => loadConfig(['--session-idle-days', '0'], {})).toThrow(/sessionIdleDays/);
    expect(() => loadConfig([], { BULLPEN_SESSION_MAX_DAYS: 'forever' })).toThrow(/sessionMaxDays/);
  });
});
