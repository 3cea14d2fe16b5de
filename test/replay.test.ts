import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { Worker } from '@temporalio/worker';
import { buildWorkflowBundle, DISCARDED_WORKFLOW_SPANS, tracedWorkflowBundlePath } from '../app/runtime';
import { CASE_TYPES, CASE_TYPE_NAMES, type CaseTypeName } from '../domain/case-types';
import { HISTORIES_DIR, historyFromObject } from '../infra/histories';
import { APPEALS_AND_SECONDMENTS_PATCH, NEWEST_PATCH, ROUND_FORWARDING_PATCH } from '../workflows/case';
import { SCENARIOS } from '../scripts/history-scenarios';
import { workflowBundle } from './helpers/temporal';

/**
 * Saved histories of every case type (recorded by `npm run -s histories:record`) must replay against the
 * current workflow code. A change that would make running cases non-deterministic fails here; roll such a
 * change out behind patched() (see workflows/case.ts) instead. One folder per released workflow version:
 * initial (before any patch), exclusive-drive-and-flush (patches v2 and v3, recorded with the code of commit
 * 89ce0ad, which started cases until local activities came in) and the newest.
 */
const versions = fs
  .readdirSync(HISTORIES_DIR)
  .filter((d) => fs.statSync(path.join(HISTORIES_DIR, d)).isDirectory())
  .sort();

/** Case types added after the first folders were recorded, and the folder (patch marker) that first holds them. */
const INTRODUCED_IN: Partial<Record<CaseTypeName, string>> = {
  appeal: APPEALS_AND_SECONDMENTS_PATCH,
  secondment: APPEALS_AND_SECONDMENTS_PATCH,
  assessment: ROUND_FORWARDING_PATCH,
};

test('histories are saved for the current workflow version', () => {
  expect(versions).toContain(NEWEST_PATCH);
});

test('every version of every case type has a scenario, recorded with the code that runs it', () => {
  // A definition version no saved history runs would replay nowhere: a running case of it is unchecked.
  const unrecorded = CASE_TYPE_NAMES.flatMap((type) => {
    const { definition, previousVersions } = CASE_TYPES[type];
    const scenarios = SCENARIOS[type].map((s) => ({ name: s.name, version: s.version ?? definition.version }));
    return [
      ...[definition, ...previousVersions]
        .filter((d) => !scenarios.some((s) => s.version === d.version))
        .map((d) => `${type} v${d.version}: no scenario`),
      // A current version's scenario runs on the current workflow code. Since v5 a case runs the version in force
      // when it starts, so a superseded version's scenario is recorded by the code that ran it (an earlier folder).
      ...scenarios
        .filter((s) =>
          s.version === definition.version
            ? !fs.existsSync(path.join(HISTORIES_DIR, NEWEST_PATCH, `${s.name}.json.gz`))
            : !versions.some((folder) => fs.existsSync(path.join(HISTORIES_DIR, folder, `${s.name}.json.gz`))),
        )
        .map((s) => `${s.name}: not recorded (npm run -s histories:record)`),
    ];
  });
  expect(unrecorded).toEqual([]);
});

test.each(versions)('saved histories of every case type (%s) replay without non-determinism', async (version) => {
  const dir = path.join(HISTORIES_DIR, version);
  const files = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.json.gz'))
    .sort();
  // Every case type has at least one saved history (files are named "<case type>-<scenario>"), in every folder
  // recorded since the type exists: a folder of workflow code that predates a type cannot hold it.
  const missing = CASE_TYPE_NAMES.filter(
    (type) =>
      (!INTRODUCED_IN[type] || [INTRODUCED_IN[type], NEWEST_PATCH].includes(version)) && !files.some((f) => f.startsWith(`${type}-`)),
  );
  expect(missing).toEqual([]);

  const histories = savedHistories(version, files);
  expect(await replayErrors({ workflowBundle: await workflowBundle() }, histories)).toEqual(
    histories.map((h) => ({ workflowId: h.workflowId, error: null })),
  );
});

// The histories were recorded by workers without Temporal's OpenTelemetry workflow interceptors, which the traced
// prebuilt bundle carries (app/runtime.ts buildWorkflowBundle): a worker of `npm run cluster` or the image that loads
// either bundle takes over cases started before, so neither may change a single command (the SDK's flags keep the
// interceptors out of tasks recorded without them).
test('the prebuilt workflow bundles, with and without the OpenTelemetry interceptors, replay every saved history', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cases-replay-bundle-'));
  try {
    const bundle = path.join(dir, 'workflow-bundle.js');
    await buildWorkflowBundle(bundle);
    const histories = versions.flatMap((version) =>
      savedHistories(
        version,
        fs.readdirSync(path.join(HISTORIES_DIR, version)).filter((f) => f.endsWith('.json.gz')),
      ),
    );
    const clean = histories.map((h) => ({ workflowId: h.workflowId, error: null }));
    expect(await replayErrors({ workflowBundle: { codePath: bundle } }, histories)).toEqual(clean);
    // The traced one as a worker without a tracing plugin would load it (its spans go to the discarding sink).
    expect(
      await replayErrors({ workflowBundle: { codePath: tracedWorkflowBundlePath(bundle) }, sinks: DISCARDED_WORKFLOW_SPANS }, histories),
    ).toEqual(clean);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

function savedHistories(version: string, files: string[]) {
  return files.map((file) => ({
    workflowId: `${version}/${file.replace('.json.gz', '')}`,
    history: historyFromObject(JSON.parse(gunzipSync(fs.readFileSync(path.join(HISTORIES_DIR, version, file))).toString('utf8'))),
  }));
}

async function replayErrors(options: Parameters<typeof Worker.runReplayHistories>[0], histories: ReturnType<typeof savedHistories>) {
  const results = [];
  for await (const result of Worker.runReplayHistories(options, histories)) {
    results.push({ workflowId: result.workflowId, error: result.error ? `${result.error.name}: ${result.error.message}` : null });
  }
  return results;
}
