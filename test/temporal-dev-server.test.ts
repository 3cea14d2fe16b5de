import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { startDevServer, type RunningTemporalServer } from '../infra/temporal-server';

/** Bytes 18 and 19 of a SQLite file: the write and read format versions, 1 for a rollback journal, 2 for WAL. */
function sqliteFormatVersions(file: string): [number, number] {
  const header = Buffer.alloc(20);
  const fd = fs.openSync(file, 'r');
  try {
    fs.readSync(fd, header, 0, 20, 0);
  } finally {
    fs.closeSync(fd);
  }
  return [header[18] as number, header[19] as number];
}

describe('the Temporal dev server as npm start runs it (a SQLite file)', () => {
  let dir: string;
  let server: RunningTemporalServer | undefined;

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cases-dev-server-'));
  });
  afterAll(async () => {
    await server?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('keeps its history in write-ahead-log mode and serves requests', async () => {
    const dbFile = path.join(dir, 'temporal', 'temporal.db');
    server = await startDevServer({ dbFile, log: () => undefined });
    const connection = await Connection.connect({ address: server.address });
    try {
      const { namespaceInfo } = await connection.workflowService.describeNamespace({ namespace: 'default' });
      expect(namespaceInfo?.name).toBe('default');
    } finally {
      await connection.close();
    }
    expect(sqliteFormatVersions(dbFile)).toEqual([2, 2]);
    expect(fs.existsSync(`${dbFile}-wal`)).toBe(true);
  });
});
