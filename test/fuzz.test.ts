import { spawn } from 'node:child_process';
import path from 'node:path';

/**
 * Schemathesis, driven by the OpenAPI document, fuzzes every operation as a clerk, an approver and an
 * auditor on a stack of its own; any 5xx or response that breaks its schema fails the run. (`npm run fuzz`
 * runs it longer.)
 */
test('the OpenAPI-driven fuzzer finds no server error and no response outside its schema', async () => {
  const output: string[] = [];
  const code = await new Promise<number | null>((resolve) => {
    const child = spawn(process.execPath, [require.resolve('tsx/cli'), path.join(__dirname, '..', 'scripts', 'fuzz-api.ts')], {
      env: { ...process.env, FUZZ_MAX_EXAMPLES: '5' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.on('data', (d: Buffer) => output.push(d.toString()));
    child.stderr.on('data', (d: Buffer) => output.push(d.toString()));
    child.once('exit', resolve);
  });
  const summary = output
    .join('')
    .split('\n')
    .filter((l) => /FAILURES|ST\d{3} |violates|Server error| found [1-9]\d* unique failure/.test(l));
  expect({ code, summary }).toEqual({ code: 0, summary: [] });
}, 600_000);
