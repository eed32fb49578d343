/**
 * A real S3-compatible server for tests: s3rver (npm), which implements the S3 REST API
 * (PUT/GET with Range/HEAD/DELETE/ListObjectsV2, signature checks) over plain files on disk, in
 * this process. Chosen because it installs with npm alone (no binary download, no Java or Go
 * toolchain, no container) and stores objects as files a test can look at; MinIO is a Go binary
 * from outside npm and moto a pip package needing a Python environment.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';
import type { ServerConfigInput } from '../../server/config';
import { S3AudioStore } from '../../server/storage/s3-audio-store';

export interface TestS3 {
  endpoint: string;
  bucket: string;
  /** The server settings pointing at this store (`prefix` separates tests sharing it). */
  config(prefix?: string): Partial<ServerConfigInput>;
  /** Command-line flags for a server process (tests/helpers/server-process.ts). */
  args(prefix?: string, segmentSec?: number): string[];
  /** A client on the same bucket, to look at what the server stored. */
  store(prefix?: string): S3AudioStore;
  /** An outage: the server stops answering (connections refused) until `resume()`. */
  pause(): Promise<void>;
  /** Back on the same port and directory, with everything stored before. */
  resume(): Promise<void>;
  stop(): Promise<void>;
}

const KEY = 'S3RVER';

/** Starts s3rver on a free loopback port with a temp directory and one bucket. */
export async function startTestS3(): Promise<TestS3> {
  const directory = await mkdtemp(join(tmpdir(), 'bullpen-s3-'));
  const bucket = 'bullpen-test';
  let server: S3rver | undefined = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory, configureBuckets: [{ name: bucket, configs: [] }] });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  const clients: S3AudioStore[] = [];
  return {
    endpoint,
    bucket,
    config: (prefix = '') => ({
      s3Endpoint: endpoint,
      s3Bucket: bucket,
      s3AccessKeyId: KEY,
      s3SecretAccessKey: KEY,
      s3ForcePathStyle: true,
      s3Prefix: prefix,
    }),
    args: (prefix = '', segmentSec = 1) => [
      '--s3-endpoint', endpoint,
      '--s3-bucket', bucket,
      '--s3-access-key-id', KEY,
      '--s3-secret-access-key', KEY,
      '--s3-force-path-style',
      ...(prefix ? ['--s3-prefix', prefix] : []),
      '--s3-segment-seconds', String(segmentSec),
    ],
    store(prefix = '') {
      const client = new S3AudioStore({ bucket, region: 'us-east-1', endpoint, accessKeyId: KEY, secretAccessKey: KEY, forcePathStyle: true, prefix });
      clients.push(client);
      return client;
    },
    async pause() {
      await server?.close();
      server = undefined;
    },
    async resume() {
      server = new S3rver({ port, address: '127.0.0.1', silent: true, directory });
      await server.run();
    },
    async stop() {
      for (const c of clients) c.close();
      await server?.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
