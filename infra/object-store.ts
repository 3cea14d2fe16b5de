import { mkdir, open, readFile, rename } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';

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
  delete: (id: string) => Promise<void>;
  close: () => void;
}

export function s3ObjectStore(settings: S3Settings): ObjectStore {
  const client = new S3Client({
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
 * configured. A bundle is written once under its case's key and read back before the case's rows are removed.
 */
export interface BundleStore {
  /** s3://bucket/key or file:///path: what the archived record names as the bundle's place. */
  location: (key: string) => string;
  put: (key: string, bytes: Uint8Array, sha256: string) => Promise<void>;
  get: (key: string) => Promise<Uint8Array>;
  close: () => void;
}

export function s3BundleStore(settings: S3Settings): BundleStore {
  const objects = s3ObjectStore(settings);
  return {
    location: (key) => `s3://${settings.bucket}/${settings.prefix}${key}`,
    put: (key, bytes, sha256) => objects.put(key, bytes, 'application/json', sha256),
    get: (key) => objects.get(key),
    close: () => objects.close(),
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
      const file = await open(partial, 'w', 0o640);
      try {
        await file.writeFile(bytes);
        await file.sync();
      } finally {
        await file.close();
      }
      await rename(partial, path(key));
    },
    async get(key) {
      return new Uint8Array(await readFile(path(key)));
    },
    close() {},
  };
}
