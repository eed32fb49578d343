/**
 * Audio objects in S3-compatible storage (AWS S3, Cloudflare R2, MinIO) through AWS SDK v3.
 * Keys get the configured prefix. The SDK's default checksums are kept: every body is a Buffer of
 * known length, so the SDK sends a plain (not aws-chunked) upload that s3rver, MinIO and R2 all
 * accept (checked against s3rver 3.7 with client-s3 3.1175).
 */
import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import type { Readable } from 'node:stream';
import { assertKey, type AudioStore, type ByteRange } from './audio-store';

/** Settings of {@link S3AudioStore}, as server/config.ts defines them. */
export interface S3AudioStoreOptions {
  bucket: string;
  region: string;
  /** Custom endpoint (R2, MinIO, a test server); AWS when absent. */
  endpoint?: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  /** Path-style URLs (`endpoint/bucket/key`): MinIO and most local servers need them. */
  forcePathStyle: boolean;
  /** Prepended to every key (`bullpen/` keeps Bullpen's objects apart in a shared bucket). */
  prefix: string;
}

/** S3-compatible object storage; see the file comment. */
export class S3AudioStore implements AudioStore {
  readonly location: string;
  readonly #client: S3Client;
  readonly #bucket: string;
  readonly #prefix: string;

  constructor(opts: S3AudioStoreOptions) {
    this.#bucket = opts.bucket;
    // `bullpen` and `bullpen/` both keep keys under `bullpen/`.
    this.#prefix = opts.prefix && !opts.prefix.endsWith('/') ? `${opts.prefix}/` : opts.prefix;
    this.location = `s3://${opts.bucket}/${this.#prefix}`;
    this.#client = new S3Client({
      region: opts.region,
      endpoint: opts.endpoint,
      forcePathStyle: opts.forcePathStyle,
      credentials: opts.accessKeyId && opts.secretAccessKey ? { accessKeyId: opts.accessKeyId, secretAccessKey: opts.secretAccessKey } : undefined,
    });
  }

  #key(key: string): string {
    assertKey(key);
    return this.#prefix + key;
  }

  async put(key: string, body: Buffer): Promise<void> {
    await this.#client.send(new PutObjectCommand({ Bucket: this.#bucket, Key: this.#key(key), Body: body, ContentType: 'audio/ogg' }));
  }

  async get(key: string, range?: ByteRange): Promise<Readable | undefined> {
    try {
      const res = await this.#client.send(
        new GetObjectCommand({ Bucket: this.#bucket, Key: this.#key(key), Range: range ? `bytes=${range.start}-${range.end}` : undefined }),
      );
      return res.Body as Readable;
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  async head(key: string): Promise<{ size: number } | undefined> {
    try {
      const res = await this.#client.send(new HeadObjectCommand({ Bucket: this.#bucket, Key: this.#key(key) }));
      return { size: res.ContentLength ?? 0 };
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    await this.#client.send(new DeleteObjectCommand({ Bucket: this.#bucket, Key: this.#key(key) }));
  }

  async list(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const res = await this.#client.send(
        new ListObjectsV2Command({ Bucket: this.#bucket, Prefix: this.#prefix + prefix, ContinuationToken: token }),
      );
      for (const o of res.Contents ?? []) if (o.Key) keys.push(o.Key.slice(this.#prefix.length));
      token = res.IsTruncated ? res.NextContinuationToken : undefined;
    } while (token);
    return keys.sort();
  }

  /** Releases the SDK's sockets. */
  close(): void {
    this.#client.destroy();
  }
}

function isNotFound(error: unknown): boolean {
  return error instanceof S3ServiceException && (error.name === 'NoSuchKey' || error.name === 'NotFound' || error.$metadata.httpStatusCode === 404);
}
