import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import v8 from 'node:v8';
import vm from 'node:vm';
import { CreateBucketCommand, HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { Express } from 'express';
import request from 'supertest';
import { createApp, createServices, type Services } from '../api/app';
import type { Caller } from '../domain/access';
import { verifyBundle, entriesNotInLedger, attachmentEntry, ARCHIVE_BUNDLE_FORMAT_V1, type ArchiveBundleV1 } from '../domain/archive';
import { formatCaseNumber } from '../domain/case-numbers';
import { canonicalJson } from '../domain/history';
import { readBundle } from '../infra/archive-bundle';
import { signatureCheck } from '../infra/ledger-key';
import {
  directoryBundleStore,
  s3BundleStore,
  s3ObjectStore,
  type BundleStore,
  type ObjectStore,
  type S3Settings,
} from '../infra/object-store';
import { createArchiveService } from '../services/archive';
import { bearer, testAppDeps } from './helpers/api';
import { pdfBytes } from './helpers/files';
import { startS3Server, type S3Server } from './helpers/s3-server';
import { useApiStack } from './helpers/stack';

const run = promisify(execFile);

const sha256Of = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const bytesOf = async (stream: Readable) => Buffer.concat((await stream.toArray()) as Buffer[]);
/** A response body as bytes (the bundle is a tar file). */
const binary = (res: request.Response, done: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => done(null, Buffer.concat(chunks)));
};

/**
 * Archival of closed cases (services/archive.ts) against real PostgreSQL, the real Temporal dev server and moto's
 * S3 server: the bundle is written and verified before the rows go, the ledger stays whole, an archived case answers
 * 410 naming its bundle, auditors fetch the bundle and check it offline, and nothing else can remove a case's rows.
 */
describe('archival of closed cases', () => {
  const stack = useApiStack('archive');
  let s3: S3Server;
  let client: S3Client;
  let objects: ObjectStore;
  let bundles: BundleStore;
  let app: Express;
  let services: Services;
  let dir: string;
  const attachmentsBucket: S3Settings = {
    region: 'us-east-1',
    bucket: 'case-files',
    accessKeyId: 'test',
    secretAccessKey: 'test',
    forcePathStyle: true,
    prefix: 'attachments/',
  };

  beforeAll(async () => {
    s3 = await startS3Server();
    client = new S3Client({
      endpoint: s3.endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    await client.send(new CreateBucketCommand({ Bucket: 'case-files' }));
    await client.send(new CreateBucketCommand({ Bucket: 'records-archive' }));
    objects = s3ObjectStore({ ...attachmentsBucket, endpoint: s3.endpoint });
    bundles = s3BundleStore({ ...attachmentsBucket, endpoint: s3.endpoint, bucket: 'records-archive', prefix: 'archive/' });
    const deps = testAppDeps({
      prisma: stack.db.prisma,
      client: stack.temporal.client,
      taskQueue: stack.taskQueue,
      attachments: { objects },
      archive: { bundles, archivedBy: 'archive.test.ts' },
    });
    services = createServices(deps);
    app = createApp(deps, services);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'archive-test-'));
  }, 180_000);

  afterAll(async () => {
    objects?.close();
    bundles?.close();
    client?.destroy();
    await s3?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const exists = (bucket: string, key: string) =>
    client.send(new HeadObjectCommand({ Bucket: bucket, Key: key })).then(
      () => true,
      () => false,
    );

  /** A promotion case with an attached PDF (and `more` files), withdrawn by its applicant, its workflow closed. */
  async function closedCase(subjectId: string, text: string, more: Buffer[] = [], via: () => Express = () => app) {
    const kase = await stack.drive.submitted('clerk-jsl', 'promotion', subjectId, { kind: 'regular' });
    const attach = async (bytes: Buffer) =>
      request(via())
        .post(`/api/v1/cases/${kase.id}/attachments`)
        .set('Authorization', await bearer('clerk-jsl'))
        .field('kind', '证书')
        .attach('file', bytes, { filename: '证书.pdf' });
    const upload = await attach(pdfBytes(text));
    expect(upload.status).toBe(201);
    for (const bytes of more) expect((await attach(bytes)).status).toBe(201);
    expect((await stack.drive.act('clerk-jsl', kase.id, { action: 'withdraw', comment: '申请人撤回' })).status).toBe('withdrawn');
    const handle = stack.temporal.client.workflow.getHandle(kase.id);
    for (let i = 0; (await handle.describe()).status.name === 'RUNNING'; i++) {
      if (i > 150) throw new Error(`the workflow of ${kase.id} did not close`);
      await new Promise((r) => setTimeout(r, 200));
    }
    return { id: kase.id as string, attachmentId: upload.body.id as string };
  }

  test('a closed case becomes a verified bundle in the bucket, its rows leave, the ledger stays whole, it answers 410', async () => {
    const { id, attachmentId } = await closedCase('w-jsl-03', '归档测试');
    await services.ledger.checkpoint(); // the bundle carries the newest signed checkpoint
    const eventsBefore = await stack.db.prisma.caseEvent.count({ where: { caseId: id } });
    const ledgerBefore = await stack.db.prisma.ledgerEntry.count();
    const number = (
      await request(app)
        .get(`/api/v1/cases/${id}`)
        .set('Authorization', await bearer('clerk-jsl'))
    ).body.number as string;
    expect(number).toMatch(/^晋升-\d{4}-\d{4}$/u);

    // Decided just now: not old enough for a 1-day archival age.
    expect((await services.archive.run({ afterDays: 1, limit: 100 })).map((o) => o.caseId)).not.toContain(id);
    const outcome = await services.archive.archiveCase(id);
    expect(outcome).toMatchObject({ caseId: id, archived: true, location: `s3://records-archive/archive/${id}.tar` });

    expect(await exists('records-archive', `archive/${id}.tar`)).toBe(true);
    expect(await exists('case-files', `attachments/${attachmentId}`)).toBe(false);
    expect(await stack.db.prisma.case.findUnique({ where: { id } })).toBeNull();
    expect(await stack.db.prisma.caseEvent.count({ where: { caseId: id } })).toBe(0);
    expect(await stack.db.prisma.attachment.count({ where: { caseId: id } })).toBe(0);
    expect(await stack.db.prisma.ledgerEntry.count()).toBe(ledgerBefore);
    expect(await stack.db.prisma.ledgerEntry.count({ where: { caseId: id } })).toBe(eventsBefore);
    expect(await services.store.ledger.mismatches()).toEqual([]);

    // Its applicant gets 410 with the archived record and where the bundle is; someone who never saw it, 404.
    const gone = await request(app)
      .get(`/api/v1/cases/${id}`)
      .set('Authorization', await bearer('clerk-jsl'));
    expect(gone.status).toBe(410);
    expect(gone.body).toMatchObject({
      type: '/problems/gone',
      case: {
        id,
        number, // the short number people know it by stays with it
        status: 'withdrawn',
        archive: { bundle: `s3://records-archive/archive/${id}.tar`, url: `/api/v1/archive/cases/${id}/bundle` },
      },
    });
    expect(gone.body.detail).toContain(`s3://records-archive/archive/${id}.tar`);
    expect(
      (
        await request(app)
          .get(`/api/v1/cases/${id}/events`)
          .set('Authorization', await bearer('clerk-jsl'))
      ).status,
    ).toBe(410);
    expect(
      (
        await request(app)
          .get(`/api/v1/cases/${id}`)
          .set('Authorization', await bearer('clerk-mtj'))
      ).status,
    ).toBe(404);

    // Auditors fetch the bundle; it verifies offline, against the ledger export and the published key.
    expect(
      (
        await request(app)
          .get(`/api/v1/archive/cases/${id}/bundle`)
          .set('Authorization', await bearer('clerk-jsl'))
      ).status,
    ).toBe(403);
    const res = await request(app)
      .get(`/api/v1/archive/cases/${id}/bundle`)
      .set('Authorization', await bearer('auditor-1'))
      .buffer(true)
      .parse(binary);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/x-tar');
    const files = new Map<string, Buffer>();
    const read = await readBundle(Readable.from([res.body as Buffer]), async (name, bytes) => {
      files.set(name, await bytesOf(Readable.from(bytes)));
    });
    expect(read.file).toMatchObject({ size: outcome.archived && outcome.size, sha256: outcome.archived && outcome.sha256 });
    const bundle = read.manifest;
    const key = await request(app).get('/api/v1/ledger/public-key');
    const check = signatureCheck(key.body.publicKeyPem as string);
    expect(verifyBundle(bundle, read.entries, check)).toEqual([]);
    expect(formatCaseNumber({ type: 'promotion', year: bundle.case.numberYear as number, seq: bundle.case.numberSeq as number })).toBe(
      number,
    );
    expect(bundle.events).toHaveLength(eventsBefore);
    expect(bundle.checkpoint).not.toBeNull();
    expect(files.get(attachmentEntry(attachmentId))?.equals(pdfBytes('归档测试'))).toBe(true);
    expect(bundle.documents.map((d) => d.kind)).toContain('approval-form');
    expect(files.get(bundle.documents[0]!.file)?.subarray(0, 5).toString()).toBe('%PDF-');
    const ledger = await request(app)
      .get('/api/v1/ledger/export')
      .set('Authorization', await bearer('auditor-1'));
    expect(ledger.body.nextAfter).toBeNull(); // one page holds this test's ledger
    expect(entriesNotInLedger(bundle, ledger.body.entries)).toEqual([]);

    // A bundle changed after archival does not verify.
    const edited = structuredClone(bundle);
    edited.events[0]!.comment = '改过的';
    expect(verifyBundle(edited, read.entries)).toEqual([{ problem: 'chain', seq: 1, reason: 'hash-mismatch' }]);
    const swapped = new Map(read.entries);
    swapped.set(attachmentEntry(attachmentId), { size: bundle.attachments[0]!.size, sha256: '0'.repeat(64) });
    expect(verifyBundle(bundle, swapped)).toEqual([{ problem: 'attachment', id: attachmentId, reason: 'sha256-mismatch' }]);
    const extra = new Map(read.entries).set('attachments/other', { size: 1, sha256: '0'.repeat(64) });
    expect(verifyBundle(bundle, extra)).toEqual([{ problem: 'entry', name: 'attachments/other', reason: 'not-in-manifest' }]);
    const forged = structuredClone(bundle);
    forged.checkpoint!.headHash = 'f'.repeat(64);
    expect(verifyBundle(forged, read.entries, check)).toEqual([{ problem: 'checkpoint', reason: 'bad-signature' }]);
  }, 120_000);

  test('nothing but archive_case_rows removes a case, and it removes nothing from a case that is not ready', async () => {
    const open = await stack.drive.submitted('clerk-jsl', 'promotion', 'w-jsl-02', { kind: 'regular' });
    const { id } = await closedCase('w-jsl-03', '另一份');
    const db = stack.db.prisma;
    await expect(db.$executeRawUnsafe(`DELETE FROM "CaseEvent" WHERE "caseId" = $1`, id)).rejects.toThrow(/append-only/);
    // The flag alone does not open the path: the archival must be recorded first.
    await expect(
      db.$transaction([
        db.$executeRaw`SELECT set_config('cases.archiving', ${id}, true)`,
        db.$executeRawUnsafe(`DELETE FROM "CaseEvent" WHERE "caseId" = $1`, id),
      ]),
    ).rejects.toThrow(/append-only/);
    const record = (lastSeq: number, lastHash: string) => ({
      lastSeq,
      lastHash,
      bundleLocation: 'file:///nowhere',
      bundleSha256: '0'.repeat(64),
      bundleSize: 1,
      checkpointSize: null,
      archivedBy: 'archive.test.ts',
    });
    const openRow = await db.case.findUniqueOrThrow({ where: { id: open.id } });
    await expect(services.store.archive.remove(open.id, record(openRow.lastSeq, openRow.lastHash))).rejects.toThrow(/not closed/);
    const closedRow = await db.case.findUniqueOrThrow({ where: { id } });
    await expect(services.store.archive.remove(id, record(closedRow.lastSeq, 'e'.repeat(64)))).rejects.toThrow(/moved on/);
    expect(await db.caseEvent.count({ where: { caseId: id } })).toBe(closedRow.lastSeq);
    expect(await db.archivedCase.count({ where: { id } })).toBe(0);

    // Into a directory this time; `npm run archive -- verify` checks the file offline, and refuses a changed copy.
    const local = createArchiveService({
      store: services.store,
      bundles: directoryBundleStore(dir),
      attachmentObjects: objects,
      documents: services.documents,
      temporal: { client: stack.temporal.client, taskQueue: stack.taskQueue, rpcTimeoutMs: 15_000 },
      archivedBy: 'archive.test.ts',
    });
    const outcome = await local.archiveCase(id);
    const file = path.join(dir, `${id}.tar`);
    expect(outcome).toMatchObject({ archived: true, location: `file://${file}` });
    await expect(db.$executeRaw`UPDATE "ArchivedCase" SET "bundleLocation" = 'elsewhere' WHERE id = ${id}`).rejects.toThrow(/append-only/);
    expect(await services.store.ledger.mismatches()).toEqual([]);

    const verify = (f: string) => run('npx', ['tsx', 'scripts/archive.ts', 'verify', f], { cwd: path.resolve(__dirname, '..') });
    const refused = (f: string) =>
      verify(f).then(
        () => null,
        (err: { code: number; stdout: string }) => err,
      );
    const ok = await verify(file);
    expect(JSON.parse(ok.stdout)).toMatchObject({ ok: true, caseId: id, problems: [], sha256: outcome.archived && outcome.sha256 });
    // One byte of the attached file changed in the tar: its entry no longer hashes to the recorded SHA-256.
    const tarBytes = fs.readFileSync(file);
    const at = tarBytes.indexOf(Buffer.from('另一份'));
    expect(at).toBeGreaterThan(0);
    tarBytes.writeUInt8(tarBytes.readUInt8(at) ^ 0x01, at);
    const changed = path.join(dir, 'changed.tar');
    fs.writeFileSync(changed, tarBytes);
    const bad = await refused(changed);
    expect(bad?.code).toBe(1);
    expect(JSON.parse(bad!.stdout)).toMatchObject({ ok: false, problems: [{ problem: 'attachment', reason: 'sha256-mismatch' }] });
    const notTar = path.join(dir, 'not-a-bundle.json');
    fs.writeFileSync(notTar, '{"format":"community-worker-cases/archive-bundle/v1"}');
    const format = await refused(notTar);
    expect(format?.code).toBe(1);
    expect(JSON.parse(format!.stdout)).toMatchObject({ ok: false, problems: [{ problem: 'format' }] });

    // The still-open case is not archived, and still answers.
    expect((await stack.drive.get('clerk-jsl', open.id)).status).toBe(200);
  }, 180_000);

  test('restoreCase (npm run archive -- restore): an archived case comes back from its checked bundle; archival passes over it', async () => {
    const { id, attachmentId } = await closedCase('w-jsl-03', '恢复测试');
    const db = stack.db.prisma;
    const rows = async () => ({
      case: await db.case.findUnique({ where: { id } }),
      events: await db.caseEvent.findMany({ where: { caseId: id }, orderBy: { seq: 'asc' } }),
      participants: await db.caseParticipant.findMany({ where: { caseId: id }, orderBy: { userId: 'asc' } }),
      assignees: await db.caseAssignee.findMany({ where: { caseId: id }, orderBy: { userId: 'asc' } }),
      attachments: await db.attachment.findMany({ where: { caseId: id } }),
      notifications: await db.notification.findMany({ where: { caseId: id }, orderBy: { id: 'asc' } }),
    });
    const before = await rows();
    const ledgerBefore = await db.ledgerEntry.count();
    expect(await services.archive.archiveCase(id)).toMatchObject({ archived: true });
    expect(await exists('case-files', `attachments/${attachmentId}`)).toBe(false);

    expect(await services.archive.restoreCase('no-such-case')).toEqual({
      caseId: 'no-such-case',
      restored: false,
      reason: 'the case was never archived',
    });
    // A bundle that is not the one archived is refused, and nothing comes back.
    const key = `${id}.tar`;
    const archived = await bytesOf(await bundles.get(key));
    await bundles.put(key, Readable.from([Buffer.from('{}')]));
    expect(await services.archive.restoreCase(id)).toMatchObject({
      restored: false,
      reason: expect.stringContaining('not an archive bundle'),
    });
    expect(await db.case.findUnique({ where: { id } })).toBeNull();
    await bundles.put(key, Readable.from([archived]));

    expect(await services.archive.restoreCase(id)).toEqual({ caseId: id, restored: true, events: before.events.length, attachments: 1 });
    // The rows are what they were (the file now in the S3-compatible store again), the ledger unchanged and whole.
    expect(await rows()).toEqual(before);
    expect(before.case?.numberSeq).toEqual(expect.any(Number)); // its short number came back with it
    expect((await db.archivedCase.findUniqueOrThrow({ where: { id } })).numberSeq).toBe(before.case?.numberSeq);
    expect(await exists('case-files', `attachments/${attachmentId}`)).toBe(true);
    expect(await db.ledgerEntry.count()).toBe(ledgerBefore);
    expect(await services.store.ledger.mismatches()).toEqual([]);
    const again = await request(app)
      .get(`/api/v1/cases/${id}`)
      .set('Authorization', await bearer('clerk-jsl'));
    expect(again.status).toBe(200);
    expect(again.body.status).toBe('withdrawn');
    const file = await request(app)
      .get(`/api/v1/attachments/${attachmentId}/content`)
      .set('Authorization', await bearer('clerk-jsl'))
      .buffer(true)
      .parse(binary);
    expect(file.status).toBe(200);
    expect((file.body as Buffer).equals(pdfBytes('恢复测试'))).toBe(true);

    // Restored once; archival does not take it again (its ArchivedCase record stands, append-only).
    expect(await services.archive.restoreCase(id)).toEqual({ caseId: id, restored: false, reason: 'the case is in the database already' });
    expect((await services.archive.run({ afterDays: 0, limit: 100 })).map((o) => o.caseId)).not.toContain(id);
  }, 180_000);

  /**
   * How format v1 archived a case, kept here only to make v1 bundles (nothing in the service writes them now): one
   * canonical-JSON document `<caseId>.json` with each stored file's bytes and each document's PDF in base64, written
   * to the archive, then the rows removed by archive_case_rows with that file's location, SHA-256 and size, then the
   * attachments' objects deleted.
   */
  async function archiveAsV1(caseId: string): Promise<{ bytes: Buffer; sha256: string }> {
    const store = services.store;
    const snapshot = await store.archive.snapshot(caseId);
    if (!snapshot) throw new Error(`no case ${caseId}`);
    const attachments: ArchiveBundleV1['attachments'] = [];
    for (const { row: r, inDatabase } of snapshot.attachments) {
      let bytes: Uint8Array | null = null;
      if (inDatabase) {
        const parts: Uint8Array[] = [];
        for await (const part of store.archive.contentChunks(r.id)) parts.push(part);
        bytes = Buffer.concat(parts);
      } else if (r.storage === 's3' && r.state === 'stored') bytes = await objects.get(r.id);
      attachments.push({
        id: r.id,
        name: r.name as string,
        mediaType: r.mediaType as string,
        size: r.size as number,
        sha256: r.sha256 as string,
        kind: r.kind as string | null,
        stage: r.stage as string | null,
        uploaderId: r.uploaderId as string,
        state: r.state,
        createdAt: r.createdAt as string,
        removedAt: r.removedAt as string | null,
        bytes: bytes ? Buffer.from(bytes).toString('base64') : null,
      });
    }
    const archivist: Caller = {
      id: 'archive',
      name: '档案归档',
      roles: [{ role: 'auditor', orgUnitId: 'root', orgPath: '/', orgLevel: 'province', departmentType: null }],
    };
    const documents: ArchiveBundleV1['documents'] = [];
    for (const item of (await services.documents.list(archivist, caseId)).items.filter((d) => !d.numbered || d.issued)) {
      const { pdf } = await services.documents.render(archivist, caseId, item.kind);
      const issued = item.numbered ? await store.documents.existing(caseId, item.kind) : null;
      const number = issued ? { issuer: issued.issuer, year: issued.year, number: issued.number } : null;
      documents.push({ kind: item.kind, title: item.title, number, pdf: pdf.toString('base64'), sha256: sha256Of(pdf) });
    }
    const checkpoint = await store.ledger.latestCheckpoint();
    const bundle: ArchiveBundleV1 = {
      format: ARCHIVE_BUNDLE_FORMAT_V1,
      archivedAt: new Date().toISOString(),
      case: snapshot.case,
      events: snapshot.events,
      attachments,
      documents,
      ledgerEntries: snapshot.ledgerEntries,
      checkpoint,
      related: snapshot.related,
    };
    const bytes = Buffer.from(canonicalJson(bundle));
    const sha256 = sha256Of(bytes);
    await bundles.put(`${caseId}.json`, Readable.from([bytes]));
    await store.archive.remove(caseId, {
      lastSeq: snapshot.case.lastSeq,
      lastHash: snapshot.case.lastHash,
      bundleLocation: bundles.location(`${caseId}.json`),
      bundleSha256: sha256,
      bundleSize: bytes.length,
      checkpointSize: checkpoint?.size ?? null,
      archivedBy: 'archive.test.ts (format v1)',
    });
    for (const a of attachments.filter((x) => x.bytes !== null)) await objects.delete(a.id);
    return { bytes, sha256 };
  }

  test('a bundle archived in format v1 (one JSON document) still verifies, is served as it is, and restores; changed, it is refused', async () => {
    const { id, attachmentId } = await closedCase('w-jsl-03', '第一版归档');
    await services.ledger.checkpoint();
    const db = stack.db.prisma;
    const eventsBefore = await db.caseEvent.count({ where: { caseId: id } });
    const v1 = await archiveAsV1(id);
    expect(await db.case.findUnique({ where: { id } })).toBeNull();
    expect(await exists('case-files', `attachments/${attachmentId}`)).toBe(false);

    // The auditor's route serves the file as it was written: the JSON document, its recorded SHA-256.
    const served = await request(app)
      .get(`/api/v1/archive/cases/${id}/bundle`)
      .set('Authorization', await bearer('auditor-1'))
      .buffer(true)
      .parse(binary);
    expect(served.status).toBe(200);
    expect(served.headers['content-type']).toBe('application/json');
    expect(served.headers['content-disposition']).toBe(`attachment; filename="${id}.json"`);
    expect((served.body as Buffer).equals(v1.bytes)).toBe(true);

    // Read as v2 is: the manifest, and each file measured as an entry under v2's name; it verifies with the signature.
    const files = new Map<string, Buffer>();
    const read = await readBundle(Readable.from([served.body as Buffer]), async (name, bytes) => {
      files.set(name, await bytesOf(Readable.from(bytes)));
    });
    expect(read.format).toBe(ARCHIVE_BUNDLE_FORMAT_V1);
    expect(read.file).toMatchObject({ size: v1.bytes.length, sha256: v1.sha256 });
    const key = await request(app).get('/api/v1/ledger/public-key');
    expect(verifyBundle(read.manifest, read.entries, signatureCheck(key.body.publicKeyPem as string))).toEqual([]);
    expect(read.manifest.events).toHaveLength(eventsBefore);
    expect(files.get(attachmentEntry(attachmentId))?.equals(pdfBytes('第一版归档'))).toBe(true);
    expect(read.manifest.documents.length).toBeGreaterThan(0);
    for (const d of read.manifest.documents) expect(files.get(d.file)?.subarray(0, 5).toString()).toBe('%PDF-');

    // `npm run archive -- verify` checks the served file offline; a copy with one base64 character of the attached
    // file changed is refused, naming the attachment whose bytes no longer hash to their SHA-256.
    const verify = (f: string) => run('npx', ['tsx', 'scripts/archive.ts', 'verify', f], { cwd: path.resolve(__dirname, '..') });
    const refused = (f: string) =>
      verify(f).then(
        () => null,
        (err: { code: number; stdout: string }) => err,
      );
    const file = path.join(dir, `${id}.json`);
    fs.writeFileSync(file, served.body as Buffer);
    expect(JSON.parse((await verify(file)).stdout)).toMatchObject({
      ok: true,
      caseId: id,
      format: ARCHIVE_BUNDLE_FORMAT_V1,
      sha256: v1.sha256,
      problems: [],
    });
    const base64 = pdfBytes('第一版归档').toString('base64');
    const at = v1.bytes.indexOf(base64) + 8;
    expect(at).toBeGreaterThan(8);
    const altered = Buffer.from(v1.bytes);
    altered.write(altered.toString('latin1', at, at + 1) === 'A' ? 'B' : 'A', at, 'latin1');
    const changed = path.join(dir, `changed-${id}.json`);
    fs.writeFileSync(changed, altered);
    const bad = await refused(changed);
    expect(bad?.code).toBe(1);
    expect(JSON.parse(bad!.stdout)).toMatchObject({
      ok: false,
      problems: [{ problem: 'attachment', id: attachmentId, reason: 'sha256-mismatch' }],
    });

    // The altered file in the archive's place: the restore refuses it, naming the problem, and nothing comes back.
    await bundles.put(`${id}.json`, Readable.from([altered]));
    expect(await services.archive.restoreCase(id)).toMatchObject({
      restored: false,
      reason: expect.stringMatching(/does not verify: .*"problem":"attachment".*"reason":"sha256-mismatch"/),
    });
    expect(await db.case.findUnique({ where: { id } })).toBeNull();
    await bundles.put(`${id}.json`, Readable.from([v1.bytes]));

    // The restore takes the v1 file through the same path: rows back, the attachment in its store again.
    expect(await services.archive.restoreCase(id)).toEqual({ caseId: id, restored: true, events: eventsBefore, attachments: 1 });
    expect(await exists('case-files', `attachments/${attachmentId}`)).toBe(true);
    expect(await services.store.ledger.mismatches()).toEqual([]);
    const content = await request(app)
      .get(`/api/v1/attachments/${attachmentId}/content`)
      .set('Authorization', await bearer('clerk-jsl'))
      .buffer(true)
      .parse(binary);
    expect(content.status).toBe(200);
    expect((content.body as Buffer).equals(pdfBytes('第一版归档'))).toBe(true);
  }, 180_000);

  /**
   * How far live memory (heap and buffers, measured after a full collection) rose above its lowest point while
   * `work` ran: what the process held at once, not what it allocated and let go. From the lowest point, not the
   * start, because what earlier requests left reachable (the uploads' buffers) may be let go meanwhile.
   */
  async function liveGrowth(work: () => Promise<unknown>): Promise<number> {
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    const used = () => {
      gc();
      const m = process.memoryUsage();
      return m.heapUsed + m.arrayBuffers;
    };
    let rise = 0;
    let low = used();
    const sample = () => {
      const now = used();
      low = Math.min(low, now);
      rise = Math.max(rise, now - low);
    };
    // A full collection takes a while on the test process's heap (and the machine is shared): every 3 s leaves the work room to run.
    const sampler = setInterval(sample, 3000);
    try {
      await work();
    } finally {
      clearInterval(sampler);
    }
    sample();
    return rise;
  }

  test('a case with large files is archived and restored as streams: memory does not grow with the bundle', async () => {
    const MiB = 1024 * 1024;
    // Two files of ~19 MiB each (the per-file limit is 20 MiB), random so nothing in the way can compress them.
    const big = [
      pdfBytes(
        randomBytes(19 * MiB)
          .toString('base64')
          .slice(0, 19 * MiB),
      ),
      pdfBytes(
        randomBytes(19 * MiB)
          .toString('base64')
          .slice(0, 19 * MiB),
      ),
    ];
    const { id } = await closedCase('w-jsl-03', '大文件', big);
    const bigIds = (
      await stack.db.prisma.attachment.findMany({ where: { caseId: id, size: { gt: MiB } }, orderBy: { createdAt: 'asc' } })
    ).map((a) => a.id);
    const sums = big.map((b) => sha256Of(b)); // the files stay live throughout: a constant under what is measured

    let outcome: Awaited<ReturnType<Services['archive']['archiveCase']>> | undefined;
    const archiving = await liveGrowth(async () => {
      outcome = await services.archive.archiveCase(id);
    });
    expect(outcome).toMatchObject({ caseId: id, archived: true });
    const size = outcome?.archived ? outcome.size : 0;
    expect(size).toBeGreaterThan(38 * MiB);
    expect(await stack.db.prisma.case.findUnique({ where: { id } })).toBeNull();

    // The route streams it too (checked against its SHA-256 first), and so does the restore.
    const served = await request(app)
      .get(`/api/v1/archive/cases/${id}/bundle`)
      .set('Authorization', await bearer('auditor-1'))
      .buffer(true)
      .parse(binary);
    expect(served.status).toBe(200);
    expect(sha256Of(served.body as Buffer)).toBe(outcome?.archived && outcome.sha256);
    let restored: unknown;
    const restoring = await liveGrowth(async () => {
      restored = await services.archive.restoreCase(id);
    });
    expect(restored).toMatchObject({ caseId: id, restored: true, attachments: 3 });
    process.stderr.write(
      `[archive] bundle of ${(size / MiB).toFixed(1)} MiB: live memory grew at most ${(archiving / MiB).toFixed(1)} MiB archiving it, ${(restoring / MiB).toFixed(1)} MiB restoring it\n`,
    );
    // The bundle built in memory held every file's bytes and their base64 at once (over 1.3 times the bundle). A
    // stream holds a few 5 MiB multipart parts and chunks in flight (15-25 MiB measured here), whatever the files weigh.
    expect(archiving).toBeLessThan(size);
    expect(restoring).toBeLessThan(size);
    for (const [i, attachmentId] of bigIds.entries()) {
      const file = await request(app)
        .get(`/api/v1/attachments/${attachmentId}/content`)
        .set('Authorization', await bearer('clerk-jsl'))
        .buffer(true)
        .parse(binary);
      expect(file.status).toBe(200);
      expect(sha256Of(file.body as Buffer)).toBe(sums[i]);
    }
  }, 300_000);

  test('files kept in PostgreSQL go into the bundle a slice at a time, and come back whole', async () => {
    const deps = testAppDeps({
      prisma: stack.db.prisma,
      client: stack.temporal.client,
      taskQueue: stack.taskQueue,
      archive: { bundles: directoryBundleStore(dir), archivedBy: 'archive.test.ts' },
    });
    const inDatabase = createServices(deps);
    const pgApp = createApp(deps, inDatabase);
    // Over one slice (4 MiB) of store/archive.ts, so it is read and written back in parts.
    const file = pdfBytes(randomBytes(6 * 1024 * 1024).toString('base64'));
    const { id } = await closedCase('w-jsl-03', '库内文件', [file], () => pgApp);
    const stored = await stack.db.prisma.attachment.findFirstOrThrow({ where: { caseId: id, size: file.length } });
    expect(stored.storage).toBe('postgres');
    expect(await inDatabase.archive.archiveCase(id)).toMatchObject({ archived: true, location: `file://${path.join(dir, `${id}.tar`)}` });
    expect(await stack.db.prisma.attachmentContent.count({ where: { attachmentId: stored.id } })).toBe(0);
    expect(await inDatabase.archive.restoreCase(id)).toMatchObject({ restored: true, attachments: 2 });
    const back = await stack.db.prisma.attachmentContent.findUniqueOrThrow({ where: { attachmentId: stored.id } });
    expect(sha256Of(back.bytes)).toBe(sha256Of(file));
  }, 180_000);
});

/** What readBundle makes of JSON documents at the edges of format v1: the v2 manifest and entries, or a named refusal. */
describe('format v1 documents read as v2 (domain/archive.ts fromV1, infra/archive-bundle.ts readBundle)', () => {
  const attachment = { id: 'a1', name: '证书.pdf', mediaType: 'application/pdf', size: 3, sha256: sha256Of(Buffer.from('pdf')) };
  const row = { kind: null, stage: null, uploaderId: 'u', createdAt: '2026-01-01T00:00:00.000Z', removedAt: null };
  const v1 = (changes: Record<string, unknown>) => ({
    format: ARCHIVE_BUNDLE_FORMAT_V1,
    archivedAt: '2026-01-02T00:00:00.000Z',
    case: { id: 'c1', lastSeq: 0, lastHash: '0'.repeat(64), status: 'withdrawn' }, // no events: the chain's genesis head
    events: [],
    attachments: [{ ...attachment, ...row, state: 'stored', bytes: Buffer.from('pdf').toString('base64') }],
    documents: [
      {
        kind: 'approval-form',
        title: '审批表',
        number: null,
        pdf: Buffer.from('%PDF-').toString('base64'),
        sha256: sha256Of(Buffer.from('%PDF-')),
      },
    ],
    ledgerEntries: [],
    checkpoint: null,
    related: {},
    ...changes,
  });
  const read = (doc: unknown, prefix = '') => readBundle(Readable.from([Buffer.from(prefix + JSON.stringify(doc))]));

  test('a v1 document becomes the v2 manifest, each file an entry under the name v2 gives it', async () => {
    const { manifest, entries, format } = await read(v1({}), ' \n');
    expect(format).toBe(ARCHIVE_BUNDLE_FORMAT_V1);
    expect(manifest.attachments).toEqual([{ ...attachment, ...row, state: 'stored', file: 'attachments/a1' }]);
    expect(manifest.documents).toEqual([expect.objectContaining({ file: 'documents/approval-form.pdf', size: 5 })]);
    expect([...entries.keys()]).toEqual(['documents/approval-form.pdf', 'attachments/a1']);
    expect(verifyBundle(manifest, entries)).toEqual([]);
  });

  test.each([
    [
      'a stored file without its bytes',
      { attachments: [{ ...attachment, ...row, state: 'stored', bytes: null }] },
      [{ problem: 'attachment', id: 'a1', reason: 'bytes-missing' }],
    ],
    ['a removed file without its bytes', { attachments: [{ ...attachment, ...row, state: 'removed', bytes: null }] }, []],
    [
      'bytes of another size',
      { attachments: [{ ...attachment, ...row, state: 'stored', bytes: Buffer.from('pdf!').toString('base64') }] },
      [{ problem: 'attachment', id: 'a1', reason: 'size-mismatch' }],
    ],
    [
      'a PDF changed',
      {
        documents: [
          {
            kind: 'approval-form',
            title: '审批表',
            number: null,
            pdf: Buffer.from('%PDF!').toString('base64'),
            sha256: sha256Of(Buffer.from('%PDF-')),
          },
        ],
      },
      [{ problem: 'document', kind: 'approval-form', reason: 'sha256-mismatch' }],
    ],
  ])('%s: what verifyBundle finds', async (_, changes, problems) => {
    const { manifest, entries } = await read(v1(changes));
    expect(verifyBundle(manifest, entries)).toEqual(problems);
  });

  test.each([
    [
      'another format',
      v1({ format: 'community-worker-cases/archive-bundle/v2' }),
      /not a community-worker-cases\/archive-bundle\/v1 bundle/,
    ],
    ['no attachment list', v1({ attachments: undefined }), /without its attachments/],
    [
      'bytes that are not base64',
      v1({ attachments: [{ ...attachment, ...row, state: 'stored', bytes: '**' }] }),
      /attachment "a1"'s bytes are not base64/,
    ],
    [
      'a file twice',
      v1({ attachments: [1, 2].map(() => ({ ...attachment, ...row, state: 'stored', bytes: 'cGRm' })) }),
      /"attachments\/a1" is there twice/,
    ],
  ])('%s: refused, named', async (_, doc, message) => {
    await expect(read(doc)).rejects.toThrow(message);
  });

  test('a JSON document cut short is refused as neither format', async () => {
    await expect(readBundle(Readable.from([Buffer.from('{"format":')]))).rejects.toThrow(/neither a tar archive nor a JSON document/);
  });
});
