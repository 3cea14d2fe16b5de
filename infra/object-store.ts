import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { pathToFileURL } from 'node:url';
import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';

/**
 * Attachments' bytes in an S3-compatible object store (ATTACHMENTS_S3_*), through the AWS SDK v3: one object per
 * attachment, keyed by its id under a prefix. The metadata stays in PostgreSQL (store/attachments.ts).
 */

export interface S3Settings {
  endpoint?: string;
  region: string;
  bucket: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  /** Path-style URLs (http://host/bucket/key), which MinIO, moto and most self-hosted stores need. */
  forcePathStyle: boolean;
  prefix: string;
}

export interface ObjectStore {
  put: (id: string, bytes: Uint8Array, mediaType: string, sha256: string) => Promise<void>;
  get: (id: string) => Promise<Uint8Array>;
  /** The bytes as they come (archival streams a case's files into its bundle); `put` with the bytes as a stream. */
  read: (id: string) => Promise<Readable>;
  write: (id: string, bytes: Readable, size: number, mediaType: string) => Promise<void>;
  delete: (id: string) => Promise<void>;
  close: () => void;
}

/** Multipart parts of S3's minimum size, one in flight: memory stays at one part whatever the stream weighs. */
const STREAM_PART_BYTES = 5 * 1024 * 1024;

function s3Client(settings: S3Settings): S3Client {
  return new S3Client({
    endpoint: settings.endpoint,
    region: settings.region,
    forcePathStyle: settings.forcePathStyle,
    ...(settings.accessKeyId && settings.secretAccessKey
      ? { credentials: { accessKeyId: settings.accessKeyId, secretAccessKey: settings.secretAccessKey } }
      : {}),
    // The API answers within its own deadline; a store that does not answer is a 503, not a hung request.
    requestHandler: { requestTimeout: 30_000, connectionTimeout: 5_000 },
    maxAttempts: 3,
  });
}

async function objectBody(client: S3Client, bucket: string, key: string): Promise<Readable> {
  const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  if (!out.Body) throw new Error(`object ${key} has no body`);
  return out.Body as Readable; // Node's runtime gives the response's IncomingMessage
}

export function s3ObjectStore(settings: S3Settings): ObjectStore {
  const client = s3Client(settings);
  const key = (id: string) => `${settings.prefix}${id}`;
  return {
    async put(id, bytes, mediaType, sha256) {
      await client.send(
        new PutObjectCommand({
          Bucket: settings.bucket,
          Key: key(id),
          Body: bytes,
          ContentType: mediaType,
          ContentLength: bytes.length,
          // The store checks the bytes it received against the hash the API computed.
          ChecksumSHA256: Buffer.from(sha256, 'hex').toString('base64'),
        }),
      );
    },
    async get(id) {
      const out = await client.send(new GetObjectCommand({ Bucket: settings.bucket, Key: key(id) }));
      if (!out.Body) throw new Error(`object ${key(id)} has no body`);
      return out.Body.transformToByteArray();
    },
    read: (id) => objectBody(client, settings.bucket, key(id)),
    async write(id, bytes, _size, mediaType) {
      // Multipart from the stream, one part in flight (a single PUT of a stream is buffered whole by the SDK). The
      // caller checks the bytes' SHA-256 as they pass (a multipart object has no whole-object checksum to give).
      await new Upload({
        client,
        params: { Bucket: settings.bucket, Key: key(id), Body: bytes, ContentType: mediaType },
        partSize: STREAM_PART_BYTES,
        queueSize: 1,
      }).done();
    },
    async delete(id) {
      await client.send(new DeleteObjectCommand({ Bucket: settings.bucket, Key: key(id) }));
    },
    close() {
      client.destroy();
    },
  };
}

/**
 * Where archive bundles are kept (services/archive.ts): an S3-compatible bucket, or a directory when no bucket is
 * configured. A bundle is written once under its case's key, as a stream, and read back (streamed too) before the
 * case's rows are removed.
 */
export interface BundleStore {
  /** s3://bucket/key or file:///path: what the archived record names as the bundle's place. */
  location: (key: string) => string;
  put: (key: string, bytes: Readable) => Promise<void>;
  get: (key: string) => Promise<Readable>;
  close: () => void;
}

export function s3BundleStore(settings: S3Settings): BundleStore {
  const client = s3Client(settings);
  const key = (k: string) => `${settings.prefix}${k}`;
  return {
    location: (k) => `s3://${settings.bucket}/${key(k)}`,
    async put(k, bytes) {
      const upload = new Upload({
        client,
        params: { Bucket: settings.bucket, Key: key(k), Body: bytes, ContentType: 'application/x-tar' },
        partSize: STREAM_PART_BYTES,
        queueSize: 1,
      });
      await upload.done();
    },
    get: (k) => objectBody(client, settings.bucket, key(k)),
    close: () => client.destroy(),
  };
}

export function directoryBundleStore(dir: string): BundleStore {
  const path = (key: string) => join(dir, key);
  return {
    location: (key) => pathToFileURL(path(key)).href,
    async put(key, bytes) {
      await mkdir(dirname(path(key)), { recursive: true });
      // Written beside and renamed into place after fsync: a crash leaves either no bundle or a whole one.
      const partial = `${path(key)}.partial`;
      try {
        await pipeline(bytes, createWriteStream(partial, { mode: 0o640 }));
        const file = await open(partial, 'r');
        try {
          await file.sync();
        } finally {
          await file.close();
        }
      } catch (err) {
        await rm(partial, { force: true });
        throw err;
      }
      await rename(partial, path(key));
    },
    async get(key) {
      return createReadStream(path(key));
    },
    close() {},
  };
}
