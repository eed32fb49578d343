import { resolve } from 'node:path';
import { z } from 'zod';
import { HOST_RECONNECT_GRACE_MS } from '../contract';
import { DEFAULT_TEAM_CLIP_MINUTES_PER_DAY } from './limits/limit-policy';

/** A trusted proxy: an address, a CIDR range, or one of proxy-addr's named ranges. */
const ProxyAddress = z.union([
  z.ipv4(),
  z.ipv6(),
  z.cidrv4(),
  z.cidrv6(),
  z.enum(['loopback', 'linklocal', 'uniquelocal']),
]);

/** Server configuration; every field can come from a flag or an environment variable. */
export const ServerConfig = z.object({
  port: z.coerce.number().int().min(0).max(65535).default(4280),
  host: z.string().min(1).default('0.0.0.0'),
  dataDir: z.string().min(1).default('./data'),
  /**
   * `postgres://user:pass@host:5432/db`: keep metadata in PostgreSQL instead of the embedded
   * SQLite file in the data directory (audio files stay in the data directory).
   */
  databaseUrl: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .optional(),
  rendererDir: z.string().min(1).default('./out/renderer'),
  logLevel: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  /** Extra origins allowed to call the API (the desktop app's own origin is always allowed). */
  allowedOrigins: z.array(z.string()).default([]),
  /** STUN/TURN URLs offered to libdatachannel, e.g. `stun:stun.example.com:3478`. */
  iceServers: z.array(z.string()).default([]),
  /**
   * Per-connection media mode: each connection gets its own UDP port from this range (the
   * default is one port for all, see `rtcUdpPort`).
   */
  rtcPortRange: z
    .object({ begin: z.number().int().min(1024).max(65535), end: z.number().int().min(1024).max(65535) })
    .refine((r) => r.begin <= r.end, 'begin must not exceed end')
    .optional(),
  /**
   * The one UDP port all media shares (ICE UDP mux, the default mode): one socket and one firewall
   * rule for every connection. Unset: a free port chosen at the first connection.
   */
  rtcUdpPort: z.coerce.number().int().min(1024).max(65535).optional(),
  /**
   * Processes that send listeners' media (server/media/media-worker-pool.ts). 1: everything in
   * this process, as cheap as ever. N > 1: N−1 forked media workers share the listeners with this
   * process, so their encryption and sends run on several cores; with a fixed `rtcUdpPort` P,
   * worker i uses UDP port P+i.
   */
  mediaWorkers: z.coerce
    .number({ error: 'must be a whole number of processes, 1 to 64' })
    .int('must be a whole number of processes, 1 to 64')
    .min(1, 'must be at least 1 (1 keeps all media in the server process)')
    .max(64, 'must be at most 64 (one per core is the useful most)')
    .default(1),
  /**
   * Whether `X-Forwarded-For` is believed for the client's address (sign-in rate limits, logs).
   * Off by default: anyone can send that header. `true` trusts every hop; a hop count (`1` for
   * one reverse proxy in front) or a list of proxy addresses/CIDRs trusts only those, so a
   * client cannot forge its address through the proxy.
   */
  trustProxy: z.union([z.boolean(), z.number().int().min(1).max(16), z.array(ProxyAddress).min(1)]).default(false),
  /**
   * Minutes of clip audio one team may cut per day (live marks and clips from kept recordings
   * together): bounds how fast a team's clips can fill the disk. Past it, new clips are refused
   * with RATE_LIMITED until the day's window ends.
   */
  teamClipMinutesPerDay: z.coerce.number().int().min(1).max(1_000_000).default(DEFAULT_TEAM_CLIP_MINUTES_PER_DAY),
  hostGraceMs: z.number().int().min(100).max(600_000).default(HOST_RECONNECT_GRACE_MS),
  /** Days a session may go unused before it expires (fractions allowed: `0.5` is 12 hours). */
  sessionIdleDays: z.coerce.number().positive().max(3650).default(30),
  /** Days a session lives at most from sign-in, however much it is used. */
  sessionMaxDays: z.coerce.number().positive().max(3650).default(90),
  /**
   * `redis://host:6379` turns on cluster mode: several nodes share signalling (socket.io's Redis
   * adapter), call routing and rate limits through this Redis. Needs the PostgreSQL store.
   */
  redisUrl: z
    .string()
    .regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL')
    .optional(),
  /** This node's name in a cluster (logs, call ownership). Default: a random one per start. */
  nodeId: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,64}$/, 'letters, digits, dot, dash and underscore only (at most 64)')
    .optional(),
  /**
   * The IP address clients reach this node's media at, when it differs from the addresses the
   * node sees on its own interfaces (behind NAT, in a container): its ICE candidates carry it.
   */
  announcedIp: z.union([z.ipv4(), z.ipv6()]).optional(),
  /** S3-compatible object storage for recordings and clips (AWS S3, Cloudflare R2, MinIO). */
  s3Endpoint: z.url().optional(),
  s3Region: z.string().min(1).default('us-east-1'),
  s3Bucket: z.string().min(3).max(63).optional(),
  s3AccessKeyId: z.string().min(1).optional(),
  s3SecretAccessKey: z.string().min(1).optional(),
  /** Path-style URLs (`endpoint/bucket/key`), as MinIO and most self-hosted stores need. */
  s3ForcePathStyle: z.boolean().default(false),
  /** A key prefix, so several deployments can share one bucket. */
  s3Prefix: z.string().max(200).default(''),
  /**
   * Live recordings go up to object storage in segments at least this often (seconds): a node
   * lost with its disk loses at most this much of a recording. Tests use about 1.
   */
  s3SegmentSec: z.coerce.number().min(0.2).max(30).default(30),
  /** TURN servers handed to clients, e.g. `turns:turn.example.com:5349?transport=tcp`. */
  turnUrls: z.array(z.string().regex(/^turns?:/, 'must be a turn: or turns: URL')).default([]),
  /** coturn's `static-auth-secret`: clients get short-lived credentials derived from it. */
  turnSecret: z.string().min(16).optional(),
  /** How long one handed-out TURN credential stays valid. */
  turnTtlSec: z.coerce.number().int().min(60).max(86_400).default(3600),
  /**
   * UDP port of the door for clients relayed through TURN over TCP/TLS (server/media/relay-ingress.ts),
   * opened only when TURN URLs are set. 0: any free port; a fixed one for firewalls between
   * coturn and the nodes.
   */
  turnIngressPort: z.coerce.number().int().min(0).max(65535).default(0),
}).superRefine((c, ctx) => {
  if (c.redisUrl && !c.databaseUrl) {
    ctx.addIssue({ code: 'custom', path: ['redisUrl'], message: 'cluster mode (a Redis URL) needs the PostgreSQL store: set --database-url too' });
  }
  if (c.redisUrl && !c.s3Bucket) {
    ctx.addIssue({
      code: 'custom',
      path: ['redisUrl'],
      message: 'cluster mode (a Redis URL) needs object storage, so every node can serve every recording: set --s3-bucket (and its endpoint and keys) too',
    });
  }
  if ((c.s3Endpoint || c.s3AccessKeyId || c.s3SecretAccessKey) && !c.s3Bucket) {
    ctx.addIssue({ code: 'custom', path: ['s3Bucket'], message: 'object storage needs a bucket: set --s3-bucket' });
  }
  if (Boolean(c.s3AccessKeyId) !== Boolean(c.s3SecretAccessKey)) {
    ctx.addIssue({ code: 'custom', path: ['s3SecretAccessKey'], message: 'give both --s3-access-key-id and --s3-secret-access-key, or neither' });
  }
  if (c.rtcUdpPort !== undefined && c.rtcUdpPort + c.mediaWorkers - 1 > 65535) {
    ctx.addIssue({ code: 'custom', path: ['mediaWorkers'], message: `media worker i uses UDP port rtcUdpPort+i: ${c.rtcUdpPort}+${c.mediaWorkers - 1} is past 65535; lower --rtc-udp-port or --media-workers` });
  }
  if (c.turnUrls.length > 0 && !c.turnSecret) {
    ctx.addIssue({ code: 'custom', path: ['turnSecret'], message: 'TURN URLs need the shared secret coturn was given: set --turn-secret' });
  }
});
export type ServerConfig = z.infer<typeof ServerConfig>;
export type ServerConfigInput = z.input<typeof ServerConfig>;

/** `switch` flags may stand alone (`--trust-proxy` means `--trust-proxy true`). */
const flags: Record<string, { key: keyof ServerConfig; env: string; list?: boolean; switch?: boolean }> = {
  '--port': { key: 'port', env: 'PORT' },
  '--host': { key: 'host', env: 'BULLPEN_HOST' },
  '--data-dir': { key: 'dataDir', env: 'BULLPEN_DATA_DIR' },
  '--database-url': { key: 'databaseUrl', env: 'BULLPEN_DATABASE_URL' },
  '--renderer-dir': { key: 'rendererDir', env: 'BULLPEN_RENDERER_DIR' },
  '--log-level': { key: 'logLevel', env: 'LOG_LEVEL' },
  '--allowed-origins': { key: 'allowedOrigins', env: 'BULLPEN_ALLOWED_ORIGINS', list: true },
  '--ice-servers': { key: 'iceServers', env: 'BULLPEN_ICE_SERVERS', list: true },
  '--rtc-port-range': { key: 'rtcPortRange', env: 'BULLPEN_RTC_PORT_RANGE' },
  '--rtc-udp-port': { key: 'rtcUdpPort', env: 'BULLPEN_RTC_UDP_PORT' },
  '--media-workers': { key: 'mediaWorkers', env: 'BULLPEN_MEDIA_WORKERS' },
  '--trust-proxy': { key: 'trustProxy', env: 'BULLPEN_TRUST_PROXY', switch: true },
  '--session-idle-days': { key: 'sessionIdleDays', env: 'BULLPEN_SESSION_IDLE_DAYS' },
  '--session-max-days': { key: 'sessionMaxDays', env: 'BULLPEN_SESSION_MAX_DAYS' },
  '--team-clip-minutes-per-day': { key: 'teamClipMinutesPerDay', env: 'BULLPEN_TEAM_CLIP_MINUTES_PER_DAY' },
  '--redis-url': { key: 'redisUrl', env: 'BULLPEN_REDIS_URL' },
  '--node-id': { key: 'nodeId', env: 'BULLPEN_NODE_ID' },
  '--announced-ip': { key: 'announcedIp', env: 'BULLPEN_ANNOUNCED_IP' },
  '--s3-endpoint': { key: 's3Endpoint', env: 'BULLPEN_S3_ENDPOINT' },
  '--s3-region': { key: 's3Region', env: 'BULLPEN_S3_REGION' },
  '--s3-bucket': { key: 's3Bucket', env: 'BULLPEN_S3_BUCKET' },
  '--s3-access-key-id': { key: 's3AccessKeyId', env: 'BULLPEN_S3_ACCESS_KEY_ID' },
  '--s3-secret-access-key': { key: 's3SecretAccessKey', env: 'BULLPEN_S3_SECRET_ACCESS_KEY' },
  '--s3-force-path-style': { key: 's3ForcePathStyle', env: 'BULLPEN_S3_FORCE_PATH_STYLE', switch: true },
  '--s3-prefix': { key: 's3Prefix', env: 'BULLPEN_S3_PREFIX' },
  '--s3-segment-seconds': { key: 's3SegmentSec', env: 'BULLPEN_S3_SEGMENT_SECONDS' },
  '--turn-url': { key: 'turnUrls', env: 'BULLPEN_TURN_URL', list: true },
  '--turn-secret': { key: 'turnSecret', env: 'BULLPEN_TURN_SECRET' },
  '--turn-ttl-sec': { key: 'turnTtlSec', env: 'BULLPEN_TURN_TTL_SEC' },
  '--turn-ingress-port': { key: 'turnIngressPort', env: 'BULLPEN_TURN_INGRESS_PORT' },
};

function convert(key: keyof ServerConfig, raw: string, list?: boolean): unknown {
  if (list) return raw.split(',').map((s) => s.trim()).filter(Boolean);
  if (key === 'trustProxy') {
    const word = raw.trim().toLowerCase();
    if (['true', 'yes', 'on'].includes(word)) return true;
    if (['false', 'no', 'off', '0', ''].includes(word)) return false;
    if (/^\d+$/.test(word)) return Number(word);
    return raw.split(',').map((s) => s.trim()).filter(Boolean);
  }
  if (key === 's3ForcePathStyle') return ['true', 'yes', 'on', '1'].includes(raw.trim().toLowerCase());
  if (key === 'rtcPortRange') {
    const [begin, end] = raw.split('-').map(Number);
    return { begin, end };
  }
  return raw;
}

/**
 * Reads configuration from `--flag value` / `--flag=value` arguments, then environment
 * variables, then defaults. Throws an Error naming the bad setting.
 */
export function loadConfig(argv: string[], env: NodeJS.ProcessEnv): ServerConfig {
  const input: Record<string, unknown> = {};
  for (const spec of Object.values(flags)) {
    const value = env[spec.env];
    if (value !== undefined && value !== '') input[spec.key] = convert(spec.key, value, spec.list);
  }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [name, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const spec = flags[name];
    if (!spec) throw new Error(`Unknown option ${name}. Options: ${Object.keys(flags).join(', ')}`);
    const next = argv[i + 1];
    const value = inline ?? (spec.switch && (next === undefined || next.startsWith('--')) ? 'true' : argv[++i]);
    if (value === undefined) throw new Error(`Option ${name} needs a value`);
    input[spec.key] = convert(spec.key, value, spec.list);
  }
  const parsed = ServerConfig.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`Invalid configuration ${issue.path.join('.')}: ${issue.message}`);
  }
  return { ...parsed.data, dataDir: resolve(parsed.data.dataDir), rendererDir: resolve(parsed.data.rendererDir) };
}
