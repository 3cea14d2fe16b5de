import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../infra/config';
import { checkReachableByPostgresUser, SetupProblem, startEmbeddedPostgres } from '../infra/postgres';
import { freePort } from '../infra/processes';

/**
 * `npm start` as root from a folder only root may enter: the embedded PostgreSQL must run as the unprivileged
 * "postgres" user, who cannot reach a data folder (or binaries) in there. Instead of initdb's unexplained
 * `spawn … EACCES` and a stack trace, start-up stops with one sentence saying why and what to do.
 */
const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;

(asRoot ? describe : describe.skip)('first run as root in a private folder', () => {
  let privateDir: string;
  beforeAll(() => {
    privateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cases-private-'));
    fs.chmodSync(privateDir, 0o700);
  });
  afterAll(() => fs.rmSync(privateDir, { recursive: true, force: true }));

  test('a folder the postgres user may enter passes; a private one is named, with what to do', async () => {
    const open = fs.mkdtempSync(path.join(os.tmpdir(), 'cases-open-'));
    fs.chmodSync(open, 0o755);
    try {
      expect(() => checkReachableByPostgresUser([path.join(open, 'pgdata')])).not.toThrow();
    } finally {
      fs.rmSync(open, { recursive: true, force: true });
    }
    const dataDir = path.join(privateDir, '.data', 'postgres');
    await expect(startEmbeddedPostgres({ dataDir, port: await freePort(), persistent: false })).rejects.toThrow(SetupProblem);
    await expect(startEmbeddedPostgres({ dataDir, port: await freePort(), persistent: false })).rejects.toThrow(
      `cannot enter ${privateDir} (mode 700)`,
    );
    expect(fs.existsSync(path.join(privateDir, '.data'))).toBe(false); // nothing was started or created
  });

  test('npm start stops with that one sentence, not a stack trace', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
      cwd: PROJECT_ROOT,
      env: {
        ...process.env,
        DATA_DIR: path.join(privateDir, '.data'),
        PORT: String(await freePort()),
        EMBEDDED_PG_PORT: String(await freePort()),
        TEMPORAL_PORT: String(await freePort()),
        TEMPORAL_UI_PORT: String(await freePort()),
        DATABASE_URL: '',
        // An address (nothing listens there) instead of a dev server: the stop comes before anything would call it.
        TEMPORAL_ADDRESS: '127.0.0.1:9',
        LOG_LEVEL: 'silent',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(1);
    const lines = stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^As root, the embedded PostgreSQL runs as the user "postgres", who cannot enter .+ \(mode 700\).*DATABASE_URL/,
    );
  });
});
