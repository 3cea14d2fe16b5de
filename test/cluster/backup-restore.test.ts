import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { loadConfig, PROJECT_ROOT } from '../../infra/config';
import { DEPLOYMENT } from '../../infra/deployment';
import { AesGcmPayloadCodec, resolveCodecKeys } from '../../infra/payload-codec';
import { temporalConnectionOptions } from '../../infra/temporal-connection';
import { useAuth } from '../helpers/api';
import { attachDatabase, type TestDatabase } from '../helpers/database';
import { caseDriver } from '../helpers/http-cases';
import { readModelAgainstWorkflow } from '../helpers/read-model';
import { CLUSTER_POSTGRES_ADMIN_URL } from './global-setup';
import { CLUSTER_AUTH, startCluster, type RunningCluster } from './topology';

/**
 * docs/operations.md "Backups" as an operator follows it, between two clusters: `npm run backup -- --temporal` of a
 * running `npm run cluster` with open cases, then `npm run restore` into an empty PostgreSQL server and a FRESH
 * `npm run cluster` on it (new certificates, new processes, the old cluster gone; only its DATA_DIR/secrets kept,
 * as the procedure says: the payload codec's keys and the ledger's signing key). The open cases continue there:
 * their events before the backup are still theirs, an approval and a committee's meeting after the restore take
 * them on to completion (the notice period's timer fires on the new server), every chain and the ledger verify,
 * and the read model equals each workflow's state.
 */
const log = (line: string) => process.stderr.write(`[backup and restore] ${line}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const npmScript = (script: 'backup' | 'restore', databaseUrl: string, args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, 'scripts', `${script}.ts`), ...args], {
    env: { ...process.env, DATABASE_URL: databaseUrl },
    encoding: 'utf8',
    timeout: 300_000,
  });

const onDatabase = (url: string, name: string) => Object.assign(new URL(url), { pathname: `/${name}` }).toString();

async function temporalClient(cluster: RunningCluster): Promise<{ client: Client; connection: Connection }> {
  const state = cluster.state();
  const certs = state.certificates;
  const connection = await Connection.connect(
    temporalConnectionOptions({
      address: state.temporal,
      tls: { caFile: certs.caBundleFile, ...certs.clients.api, serverName: 'localhost' },
    }).client,
  );
  const keys = resolveCodecKeys(loadConfig({ DATA_DIR: cluster.dataDir }));
  return { client: new Client({ connection, dataConverter: keys && { payloadCodecs: [new AesGcmPayloadCodec(keys)] } }), connection };
}

describe('npm run backup -- --temporal, restored into a fresh cluster', () => {
  const backupDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cases-cluster-backup-'));
  const secretsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cases-cluster-secrets-'));
  let first: RunningCluster | undefined;
  let second: RunningCluster | undefined;
  let db: TestDatabase | undefined;
  let temporal: { client: Client; connection: Connection } | undefined;

  afterAll(async () => {
    await temporal?.connection.close();
    await db?.drop(); // every chain and the ledger verified in the restored database
    await first?.stop();
    await second?.stop();
    fs.rmSync(backupDir, { recursive: true, force: true });
    fs.rmSync(secretsDir, { recursive: true, force: true });
  }, 180_000);

  test(
    'open cases keep their history and go on to completion after the restore; every chain verifies',
    async () => {
      useAuth(CLUSTER_AUTH);
      let started = Date.now();
      first = await startCluster({ restartDelayMs: 5_000, log, withoutDemoCases: true });
      log(`the first cluster came up in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      let drive = caseDriver(first.state().url);

      // Open at the committee's meeting, open at the street's approval, and one closed before the backup.
      const atMeeting = await drive.submitted('clerk-jsl', 'promotion', 'w-jsl-03', { kind: 'regular', reason: '任职满三年' });
      await drive.act('sec-jsl', atMeeting.id, { action: 'approve', comment: '同意推荐' });
      const atApproval = await drive.submitted('clerk-jyj', 'promotion', 'w-jyj-03', { kind: 'regular' });
      const rejected = await drive.submitted('clerk-gyl', 'promotion', 'w-gyl-03', { kind: 'regular' });
      await drive.act('sec-gyl', rejected.id, { action: 'reject', comment: '材料不全' });
      await drive.waitFor(rejected.id, 'rejected');
      const ids = [atMeeting.id, atApproval.id, rejected.id] as string[];

      // A settled database: the projection has written what the workflows recorded.
      const firstDb = attachDatabase(first.state().databaseUrl);
      const before = new Map<string, { seq: number; hash: string }[]>();
      try {
        for (let attempt = 0; ; attempt++) {
          const rows = await firstDb.prisma.case.findMany({
            where: { id: { in: ids } },
            select: { id: true, confirmedSeq: true, lastSeq: true },
          });
          if (rows.length === ids.length && rows.every((r) => r.confirmedSeq === r.lastSeq)) break;
          if (attempt > 100) throw new Error(`the projection did not settle: ${JSON.stringify(rows)}`);
          await sleep(200);
        }
        for (const id of ids)
          before.set(
            id,
            await firstDb.prisma.caseEvent.findMany({ where: { caseId: id }, orderBy: { seq: 'asc' }, select: { seq: true, hash: true } }),
          );
      } finally {
        await firstDb.drop(); // its chains verify before the backup
      }

      // The backup, as docs/operations.md has it: all three databases, by a role that can read them.
      const admin = first.state().postgresAdminUrl;
      started = Date.now();
      const backup = npmScript('backup', onDatabase(admin, DEPLOYMENT.databases.service), ['--dir', backupDir, '--temporal']);
      expect({ status: backup.status, stderr: backup.stderr }).toEqual({ status: 0, stderr: '' });
      const manifest = JSON.parse(fs.readFileSync(path.join(backupDir, 'manifest.json'), 'utf8')) as {
        databases: { name: string; bytes: number }[];
      };
      log(
        `backup in ${((Date.now() - started) / 1000).toFixed(1)} s: ${manifest.databases.map((d) => `${d.name} ${d.bytes} bytes`).join(', ')}`,
      );
      expect(manifest.databases.map((d) => d.name)).toEqual(Object.values(DEPLOYMENT.databases));
      // The keys are not in the databases: the operator keeps DATA_DIR/secrets (or the key files) with the backup.
      fs.cpSync(path.join(first.dataDir, 'secrets'), secretsDir, { recursive: true });
      await first.stop();
      first = undefined;

      // Restore into another, empty PostgreSQL server, then a fresh cluster on it.
      const target = onDatabase(process.env[CLUSTER_POSTGRES_ADMIN_URL] as string, DEPLOYMENT.databases.service);
      started = Date.now();
      const restore = npmScript('restore', target, ['--dir', backupDir]);
      expect({ status: restore.status, stderr: restore.stderr }).toEqual({ status: 0, stderr: '' });
      log(`restore in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      started = Date.now();
      second = await startCluster({
        restartDelayMs: 5_000,
        log,
        withoutDemoCases: true,
        env: { DATABASE_URL: target },
        prepare: (dataDir) => fs.cpSync(secretsDir, path.join(dataDir, 'secrets'), { recursive: true }),
      });
      log(`the fresh cluster came up on the restored databases in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      drive = caseDriver(second.state().url);
      db = attachDatabase(second.state().databaseUrl);

      // Their history before the backup is still theirs, unchanged.
      for (const id of ids)
        expect(
          await db.prisma.caseEvent.findMany({
            where: { caseId: id, seq: { lte: before.get(id)?.length } },
            orderBy: { seq: 'asc' },
            select: { seq: true, hash: true },
          }),
        ).toEqual(before.get(id));
      expect((await drive.get('clerk-jyj', atApproval.id)).body.status).toBe(atApproval.status);

      // They go on: an approval, the committee's meetings, the notice period's timer on the new server.
      await drive.act('sec-jyj', atApproval.id, { action: 'approve', comment: '恢复后同意推荐' });
      await drive.meeting('dgw-nhl-2', atMeeting.id);
      await drive.meeting('dgw-nhl-1', atApproval.id);
      await drive.waitFor(atMeeting.id, 'completed');
      await drive.waitFor(atApproval.id, 'completed');
      for (const id of [atMeeting.id, atApproval.id] as string[]) {
        const events = await db.prisma.caseEvent.findMany({
          where: { caseId: id },
          orderBy: { seq: 'asc' },
          select: { seq: true, action: true },
        });
        expect(events.length).toBeGreaterThan(before.get(id)?.length ?? 0);
        expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
      }

      temporal = await temporalClient(second);
      for (const id of ids) {
        const { stored, workflow } = await readModelAgainstWorkflow(db.prisma, temporal.client, id);
        expect({ id, ...stored }).toEqual({ id, ...workflow });
      }
    },
    40 * 60_000,
  );
});
