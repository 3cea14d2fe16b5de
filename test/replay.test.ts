import fs from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { Worker } from '@temporalio/worker';
import { HISTORIES_DIR, historyFromObject } from '../infra/histories';
import { workflowBundle } from './helpers/temporal';

/**
 * Saved histories of every case type (recorded by `npm run -s histories:record`) must replay against the
 * current workflow code. A change that would make running cases non-deterministic fails here; roll such a
 * change out behind patched() (see workflows/case.ts) instead.
 */
test('saved histories of every case type replay without non-determinism', async () => {
  const files = fs.readdirSync(HISTORIES_DIR).filter((f) => f.endsWith('.json.gz')).sort();
  const types = new Set(files.map((f) => f.split('-').slice(0, f.startsWith('error-tolerance') || f.startsWith('name-clearing') ? 2 : 1).join('-')));
  expect([...types].sort()).toEqual(['commendation', 'error-tolerance', 'exit', 'name-clearing', 'promotion', 'recruitment']);

  const histories = files.map((file) => ({
    workflowId: file.replace('.json.gz', ''),
    history: historyFromObject(JSON.parse(gunzipSync(fs.readFileSync(path.join(HISTORIES_DIR, file))).toString('utf8'))),
  }));
  const results = [];
  for await (const result of Worker.runReplayHistories({ workflowBundle: await workflowBundle() }, histories)) {
    results.push({ workflowId: result.workflowId, error: result.error ? `${result.error.name}: ${result.error.message}` : null });
  }
  expect(results).toEqual(histories.map((h) => ({ workflowId: h.workflowId, error: null })));
});
