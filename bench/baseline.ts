import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { Config } from '../infra/config';
import { connectTemporalClient } from '../infra/temporal-connection';
import { completeUpdate } from './baseline-workflow';
import { progress } from './progress';
import { BASELINE_TASK_QUEUE } from './stack';
import { since, summarize, type LatencySummary } from './stats';

/**
 * The limit: raw Temporal SDK calls against the same server, no HTTP and no database. Each of `concurrency`
 * loops starts a minimal workflow and completes it with one Update, for `seconds`. Both calls count as an
 * action, so baseline actions/s compares with the service's actions/s (each a Temporal round trip at least).
 */

export interface BaselineResult {
  concurrency: number;
  seconds: number;
  workflows: number;
  actions: number;
  actionsPerSecond: number;
  workflowsPerSecond: number;
  latency: { start: LatencySummary; update: LatencySummary };
  errors: number;
  errorSamples: string[];
}

/** Connected as the service's own clients are (TLS, payload codec), so both sides pay the same per payload. */
export async function connectBaseline(config: Config): Promise<{ client: Client; close: () => Promise<void> }> {
  const client = await connectTemporalClient(config);
  return { client, close: () => client.connection.close() };
}

export async function runBaseline(
  client: Client,
  concurrency: number,
  seconds: number,
  label = `baseline c=${concurrency}`,
): Promise<BaselineResult> {
  const starts: number[] = [];
  const updates: number[] = [];
  const errorSamples: string[] = [];
  let errors = 0;
  let workflows = 0;
  const t0 = performance.now();
  const endAt = t0 + seconds * 1000;
  let lastEnd = t0;
  progress.start(label, seconds * 1000);
  const ticker = setInterval(() => progress.update(performance.now() - t0, `${workflows} workflows, ${errors} errors`), 200);
  const loop = async () => {
    while (performance.now() < endAt) {
      try {
        let t = performance.now();
        const handle = await client.workflow.start('baselineWorkflow', {
          taskQueue: BASELINE_TASK_QUEUE,
          workflowId: `baseline-${randomUUID()}`,
          args: [],
        });
        starts.push(since(t));
        t = performance.now();
        await handle.executeUpdate(completeUpdate);
        updates.push(since(t));
        workflows += 1;
        lastEnd = performance.now();
      } catch (err) {
        errors += 1;
        if (errorSamples.length < 5) errorSamples.push(String((err as Error)?.message ?? err));
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, loop));
  clearInterval(ticker);
  const elapsed = (lastEnd - t0) / 1000;
  const actions = starts.length + updates.length;
  progress.stop(`${workflows} workflows, ${(actions / elapsed).toFixed(1)} actions/s, ${errors} errors`);
  return {
    concurrency,
    seconds: round(elapsed),
    workflows,
    actions,
    actionsPerSecond: round(actions / elapsed),
    workflowsPerSecond: round(workflows / elapsed),
    latency: { start: summarize(starts), update: summarize(updates) },
    errors,
    errorSamples,
  };
}

const round = (v: number) => Math.round(v * 100) / 100;
