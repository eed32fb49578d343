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

  it('reads the number of media processes: 1 by default, N from flag or environment, refusing nonsense', () => {
    expect(loadConfig([], {}).mediaWorkers).toBe(1);
    expect(loadConfig([], { BULLPEN_MEDIA_WORKERS: '3' }).mediaWorkers).toBe(3);
    expect(loadConfig(['--media-workers', '2'], { BULLPEN_MEDIA_WORKERS: '3' }).mediaWorkers).toBe(2);
    expect(() => loadConfig(['--media-workers', '0'], {})).toThrow(/mediaWorkers: must be at least 1/);
    expect(() => loadConfig(['--media-workers', '1.5'], {})).toThrow(/mediaWorkers: must be a whole number/);
    expect(() => loadConfig([], { BULLPEN_MEDIA_WORKERS: 'many' })).toThrow(/mediaWorkers: must be a whole number/);
    expect(() => loadConfig(['--media-workers', '65'], {})).toThrow(/mediaWorkers: must be at most 64/);
    // Worker i takes UDP port P+i: the last must exist.
    expect(loadConfig(['--media-workers', '4', '--rtc-udp-port', '65532'], {})).toMatchObject({ mediaWorkers: 4, rtcUdpPort: 65532 });
    expect(() => loadConfig(['--media-workers', '4', '--rtc-udp-port', '65533'], {})).toThrow(/mediaWorkers: media worker i uses UDP port rtcUdpPort\+i/);
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

  it('turns on cluster mode with a Redis URL, only together with PostgreSQL', () => {
    const pg = { BULLPEN_DATABASE_URL: 'postgres://bp@db/b', BULLPEN_S3_BUCKET: 'calls' };
    expect(loadConfig([], pg).redisUrl).toBeUndefined();
    expect(loadConfig(['--redis-url', 'redis://cache:6379', '--node-id', 'eu-1'], pg)).toMatchObject({ redisUrl: 'redis://cache:6379', nodeId: 'eu-1' });
    expect(() => loadConfig(['--redis-url', 'redis://cache:6379'], { BULLPEN_S3_BUCKET: 'calls' })).toThrow(/redisUrl: cluster mode .* needs the PostgreSQL store/);
    expect(() => loadConfig(['--redis-url', 'redis://cache:6379'], { BULLPEN_DATABASE_URL: 'postgres://bp@db/b' })).toThrow(/redisUrl: cluster mode .* needs object storage/);
    expect(() => loadConfig(['--redis-url', 'http://cache'], pg)).toThrow(/redisUrl: must be a redis/);
    expect(() => loadConfig(['--node-id', 'a b'], {})).toThrow(/nodeId/);
    expect(loadConfig(['--announced-ip', '203.0.113.7'], {}).announcedIp).toBe('203.0.113.7');
    expect(() => loadConfig(['--announced-ip', 'media.example.com'], {})).toThrow(/announcedIp/);
  });

  it('reads object storage and TURN settings, refusing half-given ones', () => {
    const s3 = loadConfig(['--s3-endpoint', 'http://127.0.0.1:9000', '--s3-bucket', 'calls', '--s3-force-path-style'], {
      BULLPEN_S3_ACCESS_KEY_ID: 'key',
      BULLPEN_S3_SECRET_ACCESS_KEY: 'secret',
    });
    expect(s3).toMatchObject({ s3Endpoint: 'http://127.0.0.1:9000', s3Bucket: 'calls', s3ForcePathStyle: true, s3Region: 'us-east-1', s3Prefix: '' });
    expect(loadConfig([], {}).s3ForcePathStyle).toBe(false);
    expect(() => loadConfig(['--s3-endpoint', 'http://127.0.0.1:9000'], {})).toThrow(/s3Bucket: object storage needs a bucket/);
    expect(() => loadConfig(['--s3-bucket', 'calls', '--s3-access-key-id', 'key'], {})).toThrow(/s3SecretAccessKey/);
    expect(loadConfig(['--turn-url', 'turn:t.example:3478?transport=tcp,turns:t.example:5349', '--turn-secret', 'a-long-shared-secret'], {})).toMatchObject({
      turnUrls: ['turn:t.example:3478?transport=tcp', 'turns:t.example:5349'],
      turnTtlSec: 3600,
      turnIngressPort: 0,
    });
    expect(loadConfig([], { BULLPEN_TURN_INGRESS_PORT: '4281' }).turnIngressPort).toBe(4281);
    expect(() => loadConfig(['--turn-ingress-port', '70000'], {})).toThrow(/turnIngressPort/);
    expect(() => loadConfig(['--turn-url', 'turn:t.example:3478'], {})).toThrow(/turnSecret: TURN URLs need the shared secret/);
    expect(() => loadConfig(['--turn-url', 'stun:t.example:3478', '--turn-secret', 'a-long-shared-secret'], {})).toThrow(/turnUrls/);
  });
});
