import { spawn } from 'node:child_process';
import path from 'node:path';

/**
 * Schemathesis, driven by the OpenAPI document, fuzzes every operation on a stack of its own: the coverage and
 * fuzzing phases as a clerk, then the stateful phase, along the document's OpenAPI links, as each seeded role.
 * Any 5xx or response that breaks its schema fails the run. (`npm run fuzz` runs every phase as every role, longer.)
 */
test('the OpenAPI-driven fuzzer, stateful and as each role, finds no server error and no response outside its schema', async () => {
  const output: string[] = [];
  const code = await new Promise<number | null>((resolve) => {
    const child = spawn(process.execPath, [require.resolve('tsx/cli'), path.join(__dirname, '..', 'scripts', 'fuzz-api.ts')], {
      env: { ...process.env, FUZZ_QUICK: '1', FUZZ_MAX_EXAMPLES: '5', FUZZ_SCENARIOS: '30' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.on('data', (d: Buffer) => output.push(d.toString()));
    child.stderr.on('data', (d: Buffer) => output.push(d.toString()));
    child.once('exit', resolve);
  });
  const text = output.join('');
  const summary = text.split('\n').filter((l) => /FAILURES|ST\d{3} |violates|Server error| found [1-9]\d* unique failure/.test(l));
  expect({ code, summary }).toEqual({ code: 0, summary: [] });
  // The stateful phase ran as each role and followed links from responses to the operations they lead to.
  const stateful = [...text.matchAll(/fuzzing as (\S+): stateful[\s\S]*?API Links:\s+(\d+) covered/g)].map((m) => [m[1], Number(m[2]) > 0]);
  expect(stateful).toEqual(['clerk-jsl', 'sec-jsl', 'dgw-nhl-1', 'hr-nhl', 'auditor-1', 'admin-1'].map((u) => [u, true]));
}, 900_000);
