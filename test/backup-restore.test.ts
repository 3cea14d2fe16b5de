import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { createPrisma, type PrismaClient } from '../infra/prisma';
import { verifyChains } from '../services/audit';
import { createStore } from '../store';
import { createEmptyDatabase } from './helpers/database';
import { readModelAgainstWorkflow } from './helpers/read-model';
import { useApiStack } from './helpers/stack';

/**
 * `npm run backup` of a database holding cases in every kind of state, `npm run restore` of it into a fresh
 * database with the real pg_dump and pg_restore (infra/postgres-client.ts finds or installs them), then every
 * chain and every read model checked in the restored copy, and every table equal to the original's.
 */
describe('backup and restore', () => {
  const stack = useApiStack('backup');
  const caseIds: string[] = [];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cases-backup-'));
  let target: Awaited<ReturnType<typeof createEmptyDatabase>>;
  let restored: PrismaClient;

  const npmScript = (script: 'backup' | 'restore', databaseUrl: string, args: string[]) =>
    spawnSync(process.execPath, ['--import', 'tsx', path.join(__dirname, '..', 'scripts', `${script}.ts`), ...args], {
      env: { ...process.env, DATABASE_URL: databaseUrl },
      encoding: 'utf8',
      timeout: 300_000,
    });

  async function readModelsConverged(prisma: PrismaClient): Promise<void> {
    for (const caseId of caseIds) {
      const { stored, workflow } = await readModelAgainstWorkflow(prisma, stack.temporal.client, caseId);
      expect({ caseId, ...stored }).toEqual({ caseId, ...workflow });
    }
  }

  async function tables(url: string): Promise<Record<string, unknown[]>> {
    const pg = new Client({ connectionString: url });
    await pg.connect();
    try {
      const names = await pg.query<{ tablename: string }>("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename");
      const rows: Record<string, unknown[]> = {};
      for (const { tablename } of names.rows) {
        // Every row as JSON text, sorted: equal tables give equal lists whatever order the scan returns.
        const all = await pg.query<{ row: string }>(`SELECT t::text AS row FROM "${tablename}" t ORDER BY 1`);
        rows[tablename] = all.rows.map((r) => r.row);
      }
      return rows;
    } finally {
      await pg.end();
    }
  }

  beforeAll(async () => {
    const completed = await stack.drive.submitted('clerk-jsl', 'promotion', 'w-jsl-03', { kind: 'regular' });
    await stack.drive.act('sec-jsl', completed.id, { action: 'approve', comment: '同意' });
    await stack.drive.meeting('dgw-nhl-2', completed.id);
    const rejected = await stack.drive.submitted('clerk-jyj', 'promotion', 'w-jyj-03', { kind: 'regular' });
    await stack.drive.act('sec-jyj', rejected.id, { action: 'reject', comment: '材料不全' });
    const open = await stack.drive.submitted('clerk-mtj', 'exit', 'w-mtj-05', {
      reason: 'consecutive-incompetent',
      detail: '连续两年不合格',
    });
    await stack.drive.waitFor(completed.id, 'completed');
    caseIds.push(completed.id, rejected.id, open.id);
    // The projection writes a case's last event shortly after the workflow records it: back up a settled database.
    for (let attempt = 0; ; attempt++) {
      try {
        await readModelsConverged(stack.db.prisma);
        break;
      } catch (err) {
        if (attempt > 50) throw err;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
    target = await createEmptyDatabase();
  }, 120_000);

  afterAll(async () => {
    await restored?.$disconnect();
    await target?.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('the restored database holds every case, every chain verifies and every read model equals its workflow', async () => {
    const backup = npmScript('backup', stack.db.url, ['--dir', dir]);
    expect({ status: backup.status, stderr: backup.stderr }).toEqual({ status: 0, stderr: expect.any(String) });
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
    expect(manifest.databases).toEqual([expect.objectContaining({ role: 'service', file: expect.stringMatching(/\.dump$/) })]);

    const restore = npmScript('restore', target.url, ['--dir', dir]);
    expect({ status: restore.status, stderr: restore.stderr }).toEqual({ status: 0, stderr: expect.any(String) });

    restored = createPrisma(target.url, 2);
    const original = await verifyChains(createStore(stack.db.prisma).audit);
    const copy = await verifyChains(createStore(restored).audit);
    expect(copy).toEqual({ ok: true, checked: original.checked, cases: caseIds.length, broken: [] });
    await readModelsConverged(restored);
    expect(await tables(target.url)).toEqual(await tables(stack.db.url));
  }, 300_000);

  test('restore refuses a database that already holds tables, and a folder without a finished backup', async () => {
    const again = npmScript('restore', target.url, ['--dir', dir]);
    expect(again.status).toBe(1);
    expect(again.stderr).toMatch(/is not empty: restore only into a new database/);

    const unfinished = fs.mkdtempSync(path.join(os.tmpdir(), 'cases-backup-'));
    try {
      const refused = npmScript('restore', target.url, ['--dir', unfinished]);
      expect(refused.status).toBe(1);
      expect(refused.stderr).toMatch(/holds no manifest\.json/);
    } finally {
      fs.rmSync(unfinished, { recursive: true, force: true });
    }
  }, 120_000);
});
