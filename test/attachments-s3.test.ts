import { CreateBucketCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { Express } from 'express';
import request from 'supertest';
import { s3ObjectStore, type ObjectStore, type S3Settings } from '../infra/object-store';
import { createApp, createServices, type Services } from '../api/app';
import { bearer, testApp, testAppDeps } from './helpers/api';
import { asBytes, pdfBytes, pngBytes } from './helpers/files';
import { startS3Server, type S3Server } from './helpers/s3-server';
import { useApiStack } from './helpers/stack';

/** Attachments whose bytes live in a real S3-compatible server (moto's server mode), through the AWS SDK. */
describe('attachments in an S3-compatible store', () => {
  const stack = useApiStack('attachments-s3');
  let s3: S3Server;
  let settings: S3Settings;
  let objects: ObjectStore;
  let client: S3Client;
  let app: Express;
  let services: Services;

  beforeAll(async () => {
    s3 = await startS3Server();
    settings = {
      endpoint: s3.endpoint,
      region: 'us-east-1',
      bucket: 'case-files',
      accessKeyId: 'test',
      secretAccessKey: 'test',
      forcePathStyle: true,
      prefix: 'attachments/',
    };
    client = new S3Client({
      endpoint: s3.endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    await client.send(new CreateBucketCommand({ Bucket: settings.bucket }));
    objects = s3ObjectStore(settings);
    const deps = testAppDeps({
      prisma: stack.db.prisma,
      client: stack.temporal.client,
      taskQueue: stack.taskQueue,
      attachments: { objects },
    });
    services = createServices(deps);
    app = createApp(deps, services);
  }, 180_000);

  afterAll(async () => {
    objects?.close();
    client?.destroy();
    await s3?.stop();
  });

  const keys = async () =>
    ((await client.send(new ListObjectsV2Command({ Bucket: settings.bucket }))).Contents ?? []).map((o) => o.Key as string).sort();
  const exists = (key: string) =>
    client.send(new HeadObjectCommand({ Bucket: settings.bucket, Key: key })).then(
      () => true,
      () => false,
    );

  test('the bytes go to the bucket, the metadata to PostgreSQL; read back, removed with the removal', async () => {
    const kase = await stack.drive.submitted('clerk-jsl', 'promotion', 'w-jsl-03', { kind: 'regular' });
    const bytes = pdfBytes('对象存储');
    const res = await request(app)
      .post(`/api/v1/cases/${kase.id}/attachments`)
      .set('Authorization', await bearer('clerk-jsl'))
      .field('kind', '证书')
      .attach('file', bytes, { filename: '证书.pdf' });
    expect(res.status).toBe(201);
    const key = `attachments/${res.body.id}`;
    expect(await keys()).toContain(key);
    const row = await stack.db.prisma.attachment.findUniqueOrThrow({ where: { id: res.body.id }, include: { content: true } });
    expect(row).toMatchObject({ storage: 's3', state: 'stored', content: null });

    const content = await asBytes(
      request(app)
        .get(`/api/v1/attachments/${res.body.id}/content?download=1`)
        .set('Authorization', await bearer('sec-jsl')),
    );
    expect(content.status).toBe(200);
    expect(Buffer.compare(content.body as Buffer, bytes)).toBe(0);
    expect(content.headers['content-disposition']).toMatch(/^attachment; .*filename\*=UTF-8''%E8%AF%81%E4%B9%A6\.pdf$/);

    const removed = await request(app)
      .delete(`/api/v1/attachments/${res.body.id}`)
      .set('Authorization', await bearer('clerk-jsl'));
    expect(removed.status).toBe(204);
    expect(await exists(key)).toBe(false);
  });

  test('a store that fails leaves nothing behind (503 with Retry-After), and the clean-up deletes orphaned objects', async () => {
    const before = await stack.db.prisma.attachment.count();
    const broken = s3ObjectStore({ ...settings, bucket: 'no-such-bucket' });
    const failing = testApp({
      prisma: stack.db.prisma,
      client: stack.temporal.client,
      taskQueue: stack.taskQueue,
      attachments: { objects: broken },
    });
    const res = await request(failing)
      .post('/api/v1/attachments')
      .set('Authorization', await bearer('clerk-jsl'))
      .attach('file', pngBytes(), { filename: 'x.png' });
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBeDefined();
    expect(res.body.detail).toMatch(/attachment store is unavailable/);
    expect(await stack.db.prisma.attachment.count()).toBe(before);
    broken.close();

    // A crash after the bytes landed but before the row was marked stored: the clean-up takes both.
    await stack.db.prisma.attachment.create({
      data: {
        id: 'crashed-upload',
        uploaderId: 'clerk-jsl',
        name: 'x.png',
        mediaType: 'image/png',
        size: 1,
        sha256: '0'.repeat(64),
        storage: 's3',
        state: 'uploading',
        createdAt: new Date(Date.now() - 48 * 3_600_000),
      },
    });
    await client.send(new PutObjectCommand({ Bucket: settings.bucket, Key: 'attachments/crashed-upload', Body: pngBytes() }));
    await services.attachments.cleanUp();
    expect(await exists('attachments/crashed-upload')).toBe(false);
    expect(await stack.db.prisma.attachment.findUnique({ where: { id: 'crashed-upload' } })).toBeNull();
  });
});
