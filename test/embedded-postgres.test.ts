import { spawn } from 'node:child_process';
import path from 'node:path';

/**
 * The embedded PostgreSQL of `npm start` has a generated superuser password, kept in DATA_DIR readable by the
 * owner only, instead of a fixed "postgres"; a cluster an earlier release created gets one on its next start.
 */
test('the embedded PostgreSQL superuser password is generated once, kept with mode 0600, and replaces the fixed one', async () => {
  const output: string[] = [];
  const code = await new Promise<number | null>((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'fixtures', 'embedded-postgres-password.ts')], {
      cwd: path.join(__dirname, '..'),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.on('data', (d: Buffer) => output.push(d.toString()));
    child.stderr.on('data', (d: Buffer) => output.push(d.toString()));
    child.once('exit', resolve);
  });
  expect({ code, output: code === 0 ? '' : output.join('') }).toEqual({ code: 0, output: '' });
  const facts = JSON.parse(output.join('').trim().split('\n').pop() as string) as Record<string, unknown>;
  const generated = { fileMode: '600', passwordLength: 32, urlHasIt: true, opensWithIt: true, opensWithFormerFixedPassword: false };
  expect(facts).toEqual({ fresh: generated, keptAcrossRestarts: true, legacy: { openedBefore: true, ...generated } });
}, 180_000);
