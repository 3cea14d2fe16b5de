import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, type WorkflowHandle } from '@temporalio/client';
import type { Payload } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import request from 'supertest';
import type { WorkerHandle } from '../app/runtime';
import { loadConfig } from '../infra/config';
import {
  AesGcmPayloadCodec,
  ENCRYPTED_ENCODING,
  generatedKeysFile,
  KEY_ID_METADATA,
  newCodecKey,
  resolveCodecKeys,
  type CodecKey,
} from '../infra/payload-codec';
import { runScenario, SCENARIOS } from '../scripts/history-scenarios';
import { isFinal } from '../domain/process/engine';
import { verifyChains } from '../services/audit';
import { createStore } from '../store';
import { stateQuery, type CaseWorkflow } from '../workflows/messages';
import { bearer, testApp } from './helpers/api';
import { createTestDatabase, type TestDatabase } from './helpers/database';
import { devServer, startTestWorker, uniqueTaskQueue } from './helpers/temporal';

/**
 * The payload codec against the real dev server: a case runs end to end with every payload encrypted, its
 * history (read without the codec) holds no personal data in clear, a rotated key ring still reads what the
 * old key wrote while the new key encrypts, a payload under a key the ring lacks fails naming that key, and the
 * codec endpoint decodes for auditors and administrators only, with CORS for the Temporal Web UI's origin only.
 */

const CASE_TIMEOUT = 120_000;
const UI_ORIGIN = 'http://localhost:8233';

/** A promotion under the definition in force, its first approval with a comment that must not reach Temporal in clear. */
const COMMENT = '考勤记录存疑，请核实';
const recorded = SCENARIOS.promotion.find((s) => s.name === 'promotion-v3-committee-meeting')!;
const scenario = { ...recorded, steps: recorded.steps.map((step, i) => (i === 0 ? { ...step, comment: COMMENT } : step)) };

/** Every payload anywhere in a history (inputs, results, Update arguments and results, activity data, markers). */
function payloadsOf(node: unknown, found: Payload[] = [], at = ''): Payload[] {
  if (node === null || typeof node !== 'object' || node instanceof Uint8Array) return found;
  if ('metadata' in node && 'data' in node && (node as Payload).data instanceof Uint8Array)
    found.push(Object.assign(node as Payload, { at }));
  for (const [key, value] of Object.entries(node)) {
    if (Array.isArray(value)) value.forEach((v, i) => payloadsOf(v, found, `${at}.${key}[${i}]`));
    else payloadsOf(value, found, `${at}.${key}`);
  }
  return found;
}

const text = (bytes: Uint8Array | null | undefined) => Buffer.from(bytes ?? new Uint8Array()).toString('utf8');

describe('payload codec (AES-256-GCM) on the real Temporal server', () => {
  let db: TestDatabase;
  let temporalServer: Awaited<ReturnType<typeof devServer>>;
  let taskQueue: string;
  let worker: WorkerHandle | undefined;
  const k1: CodecKey = { ...newCodecKey(), id: 'k1' };
  const k2: CodecKey = { ...newCodecKey(), id: 'k2' };
  const run = Date.now().toString(36);

  const clientWith = (keys: CodecKey[]) =>
    new Client({ connection: temporalServer.connection, dataConverter: { payloadCodecs: [new AesGcmPayloadCodec(keys)] } });
  const startWorkerWith = async (keys: CodecKey[]) => {
    await worker?.stop();
    worker = await startTestWorker(temporalServer.nativeConnection, taskQueue, db.prisma, {
      dataConverter: { payloadCodecs: [new AesGcmPayloadCodec(keys)] },
    });
  };
  const rawHistory = async (workflowId: string) => temporalServer.client.workflow.getHandle(workflowId).fetchHistory();

  beforeAll(async () => {
    db = await createTestDatabase({ seeded: true });
    temporalServer = await devServer();
    taskQueue = uniqueTaskQueue('codec');
  });

  afterAll(async () => {
    await worker?.stop();
    await temporalServer.close();
    await db.drop();
  });

  let first: WorkflowHandle<CaseWorkflow>;

  test(
    'a case runs end to end encrypted: its history holds ciphertext only, its chain verifies',
    async () => {
      await startWorkerWith([k1]);
      first = await runScenario(clientWith([k1]), taskQueue, 'promotion', scenario, `codec-${run}-1`);
      expect(isFinal((await first.result()).status)).toBe(true);
      const { subject } = await clientWith([k1]).workflow.getHandle(first.workflowId).query(stateQuery);
      expect(subject.id).toBe(scenario.subjectId);

      const history = await rawHistory(first.workflowId);
      const payloads = payloadsOf(history);
      // sdk-core writes its own bookkeeping without the codec: a patch's marker and the TemporalChangeVersion
      // search attribute (patch ids), a local activity marker's data (sequence, type, times; its result is ours).
      const sdkOwn = /\.details\.patch-data\.|TemporalChangeVersion|\.details\.data\./;
      const encrypted = payloads.filter((p) => !sdkOwn.test((p as { at?: string }).at ?? ''));
      expect(encrypted.length).toBeGreaterThan(10);
      for (const p of encrypted) {
        expect({ at: (p as { at?: string }).at, encoding: text(p.metadata?.encoding), key: text(p.metadata?.[KEY_ID_METADATA]) }).toEqual({
          at: (p as { at?: string }).at,
          encoding: ENCRYPTED_ENCODING,
          key: 'k1',
        });
      }
      // The whole history as the server stores and serves it: no subject id, no accusation, in any field.
      const bytes = Buffer.from(temporal.api.history.v1.History.encode(history).finish());
      for (const secret of [scenario.subjectId, subject.name, COMMENT, scenario.applicantId])
        expect(bytes.includes(Buffer.from(secret))).toBe(false);
      expect(await verifyChains(createStore(db.prisma).audit)).toMatchObject({ ok: true, broken: [] });
    },
    CASE_TIMEOUT,
  );

  test(
    'rotation: with k2 first, k1’s payloads still decode (result, replay for a query) and new ones are under k2',
    async () => {
      await startWorkerWith([k2, k1]);
      const client = clientWith([k2, k1]);
      expect(isFinal((await client.workflow.getHandle(first.workflowId).result()).status)).toBe(true);
      // A query of a closed case replays its whole (k1) history on the rotated worker.
      const state = await client.workflow.getHandle(first.workflowId).query(stateQuery);
      expect(state.subject.id).toBe(scenario.subjectId);

      const commendation = SCENARIOS.commendation.find((s) => s.name === 'commendation-v2-city-award')!;
      const second = await runScenario(client, taskQueue, 'commendation', commendation, `codec-${run}-2`);
      expect(isFinal((await second.result()).status)).toBe(true);
      const keys = new Set(
        payloadsOf(await rawHistory(second.workflowId))
          .filter((p) => text(p.metadata?.encoding) === ENCRYPTED_ENCODING)
          .map((p) => text(p.metadata?.[KEY_ID_METADATA])),
      );
      expect([...keys]).toEqual(['k2']);
    },
    CASE_TIMEOUT,
  );

  test('a payload under a key the ring lacks fails naming the key', async () => {
    const handle = clientWith([k2]).workflow.getHandle(first.workflowId);
    await expect(handle.result()).rejects.toThrow(/key "k1", which is not in the payload codec's key ring/);
  });

  test('a payload altered in the history fails authentication instead of decoding to something else', async () => {
    const codec = new AesGcmPayloadCodec([k1]);
    const [encrypted] = await codec.encode([{ metadata: { encoding: Buffer.from('json/plain') }, data: Buffer.from('"x"') }]);
    const data = Buffer.from(encrypted!.data!);
    data[data.length - 1]! ^= 1;
    await expect(codec.decode([{ ...encrypted, data }])).rejects.toThrow(/fails authentication/);
    // Relabelled with another key id of the ring: the id is authenticated too.
    const relabelled = { ...encrypted, metadata: { ...encrypted!.metadata, [KEY_ID_METADATA]: Buffer.from('k2') } };
    await expect(new AesGcmPayloadCodec([k1, k2]).decode([relabelled])).rejects.toThrow(/fails authentication/);
  });

  describe('the codec endpoint (/codec/decode, /codec/encode) for the Temporal Web UI', () => {
    const app = () =>
      testApp({
        prisma: db.prisma,
        client: clientWith([k2, k1]),
        taskQueue,
        codec: { codec: new AesGcmPayloadCodec([k2, k1]), corsOrigin: UI_ORIGIN },
      });
    const asJson = (p: Payload) => ({
      metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
      data: Buffer.from(p.data ?? new Uint8Array()).toString('base64'),
    });

    test('decodes a history’s payloads for an auditor and an administrator; encodes for them too', async () => {
      const history = await rawHistory(first.workflowId);
      const input = history.events![0]!.workflowExecutionStartedEventAttributes!.input!.payloads!;
      for (const user of ['auditor-1', 'admin-1']) {
        const res = await request(app())
          .post('/codec/decode')
          .set('Authorization', await bearer(user))
          .set('X-Namespace', 'default')
          .send({ payloads: input.map(asJson) });
        expect(res.status).toBe(200);
        const decoded = res.body.payloads[0];
        expect(Buffer.from(decoded.metadata.encoding, 'base64').toString()).toBe('json/plain');
        expect(JSON.parse(Buffer.from(decoded.data, 'base64').toString())).toMatchObject({ subjectId: scenario.subjectId });
      }
      const plain = { metadata: { encoding: Buffer.from('json/plain').toString('base64') }, data: Buffer.from('"x"').toString('base64') };
      const encoded = await request(app())
        .post('/codec/encode')
        .set('Authorization', await bearer('auditor-1'))
        .send({ payloads: [plain] });
      expect(encoded.status).toBe(200);
      expect(Buffer.from(encoded.body.payloads[0].metadata[KEY_ID_METADATA], 'base64').toString()).toBe('k2');
    });

    test('refuses anyone else: no token 401, an approver or a clerk 403', async () => {
      const body = { payloads: [] };
      expect((await request(app()).post('/codec/decode').send(body)).status).toBe(401);
      for (const user of ['dgw-nhl-1', 'clerk-jsl']) {
        const res = await request(app())
          .post('/codec/decode')
          .set('Authorization', await bearer(user))
          .send(body);
        expect(res.status).toBe(403);
      }
    });

    test('a payload under an unknown key, or a malformed body, is a 400 that says why', async () => {
      const k3: CodecKey = { ...newCodecKey(), id: 'k3' };
      const [foreign] = await new AesGcmPayloadCodec([k3]).encode([{ metadata: {}, data: Buffer.from('"x"') }]);
      const res = await request(app())
        .post('/codec/decode')
        .set('Authorization', await bearer('auditor-1'))
        .send({ payloads: [asJson(foreign!)] });
      expect(res.status).toBe(400);
      expect(res.body.detail).toMatch(/key "k3"/);
      const bad = await request(app())
        .post('/codec/decode')
        .set('Authorization', await bearer('auditor-1'))
        .send({ payloads: [{ data: '%%' }] });
      expect(bad.status).toBe(400);
    });

    test('CORS for the configured Web UI origin only', async () => {
      const preflight = (origin: string) =>
        request(app())
          .options('/codec/decode')
          .set('Origin', origin)
          .set('Access-Control-Request-Method', 'POST')
          .set('Access-Control-Request-Headers', 'authorization,content-type,x-namespace');
      const allowed = await preflight(UI_ORIGIN);
      expect(allowed.status).toBe(204);
      expect(allowed.headers['access-control-allow-origin']).toBe(UI_ORIGIN);
      expect(allowed.headers['access-control-allow-headers']).toMatch(/Authorization/);
      const other = await preflight('http://evil.example');
      expect(other.headers['access-control-allow-origin']).toBeUndefined();
    });
  });

  describe('key ring configuration', () => {
    const dataDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'codec-keys-'));

    test('generated once in DATA_DIR for npm start, owner-only, and the same ring for every process', () => {
      const dir = dataDir();
      try {
        const config = loadConfig({ DATA_DIR: dir });
        const first = resolveCodecKeys(config)!;
        const again = resolveCodecKeys(config)!;
        expect(again).toEqual(first);
        expect(first).toHaveLength(1);
        expect(first[0]!.key).toHaveLength(32);
        const file = generatedKeysFile(dir);
        expect(fs.statSync(file).mode & 0o777).toBe(0o600);
        expect(fs.statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    test('from PAYLOAD_CODEC_KEYS or PAYLOAD_CODEC_KEYS_FILE, newest first; production never generates; off is off', () => {
      const dir = dataDir();
      try {
        const ring = `k2:${k2.key.toString('base64')},k1:${k1.key.toString('base64')}`;
        expect(resolveCodecKeys(loadConfig({ DATA_DIR: dir, PAYLOAD_CODEC_KEYS: ring }))!.map((k) => k.id)).toEqual(['k2', 'k1']);
        const file = path.join(dir, 'ring');
        fs.writeFileSync(file, `# newest first\n${ring.replace(',', '\n')}\n`);
        expect(resolveCodecKeys(loadConfig({ DATA_DIR: dir, PAYLOAD_CODEC_KEYS_FILE: file }))!.map((k) => k.id)).toEqual(['k2', 'k1']);
        expect(() => resolveCodecKeys(loadConfig({ DATA_DIR: dir, PAYLOAD_CODEC_KEYS: 'k1:c2hvcnQ=' }))).toThrow(/k1.*32/);
        expect(() => resolveCodecKeys(loadConfig({ DATA_DIR: dir, NODE_ENV: 'production' }))).toThrow(/PAYLOAD_CODEC_KEYS_FILE/);
        expect(resolveCodecKeys(loadConfig({ DATA_DIR: dir, PAYLOAD_CODEC: 'off' }))).toBeUndefined();
        expect(fs.existsSync(generatedKeysFile(dir))).toBe(false);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});
