/**
 * Records one workflow history per case type (and one that exercises return, resubmission, 加签, comments and
 * reminders) into test/histories/<newest patch marker>/ (gzipped JSON), for the replay test that fails CI when a
 * workflow change is not deterministic. Run after each versioned change to the workflow (a new patch marker):
 *
 *   npm run -s histories:record
 *
 * It starts its own throwaway PostgreSQL and Temporal dev server, so nothing else needs to run.
 */
import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { Client, Connection, WorkflowUpdateFailedError } from '@temporalio/client';
import { Runtime } from '@temporalio/worker';
import { CASE_TYPES, CASE_TYPE_NAMES, snapshotFor } from '../domain/case-types';
import type { CaseCommand, CaseInput } from '../domain/process/engine';
import { BUILT_IN_RULE_SETS, type RuleSet } from '../domain/rules';
import { HISTORIES_DIR, historyToObject } from '../infra/histories';
import { ensureDatabase, migrate } from '../infra/migrate';
import { freePort, startDevServer } from '../infra/temporal-server';
import { startEmbeddedPostgres, temporaryDataDir } from '../infra/postgres';
import { createPrisma } from '../infra/prisma';
import { subjectRef, workflowCalendar } from '../infra/records';
import { startWorker } from '../infra/runtime';
import { seedDemoData } from '../prisma/seed';
import { SCENARIOS } from './history-scenarios';
import { NEWEST_PATCH, caseWorkflow } from '../workflows/case';
import { actUpdate } from '../workflows/messages';

async function main() {
  Runtime.install({ shutdownSignals: [] });
  // Everything started is stopped again, also when a later step fails.
  const stops: (() => Promise<void>)[] = [];
  try {
    const pg = await startEmbeddedPostgres({ dataDir: temporaryDataDir('histories-pg-'), port: await freePort(), persistent: false });
    stops.push(() => pg.stop());
    const temporal = await startDevServer({});
    stops.push(() => temporal.stop());
    const url = pg.urlFor('histories');
    await ensureDatabase(url);
    await migrate(url, { preferPrisma: false });
    const prisma = createPrisma(url, 4);
    stops.push(() => prisma.$disconnect());
    await seedDemoData(prisma);
    const taskQueue = 'histories';
    const worker = await startWorker({ address: temporal.address, namespace: 'default', taskQueue, prisma, ruleSet: BUILT_IN_RULE_SETS.demo as RuleSet });
    stops.push(() => worker.stop());
    const connection = await Connection.connect({ address: temporal.address });
    stops.push(() => connection.close());
    const client = new Client({ connection });
    const ruleSet = BUILT_IN_RULE_SETS.demo as RuleSet;
    const dir = path.join(HISTORIES_DIR, NEWEST_PATCH);
    fs.mkdirSync(dir, { recursive: true });

    for (const [type, scenario] of CASE_TYPE_NAMES.flatMap((type) => SCENARIOS[type].map((scenario) => [type, scenario] as const))) {
      const { definition } = CASE_TYPES[type];
      const subject = await prisma.communityWorker.findUniqueOrThrow({ where: { id: scenario.subjectId }, include: { orgUnit: { select: { path: true } } } });
      const input: CaseInput = {
        caseId: `history-${scenario.name}`,
        type,
        definition: snapshotFor(definition, ruleSet, scenario.payload),
        applicantId: scenario.applicantId,
        subject: subjectRef(subject),
        payload: scenario.payload,
        calendar: await workflowCalendar(prisma),
      };
      const handle = await client.workflow.start(caseWorkflow, { workflowId: input.caseId, taskQueue, args: [input] });
      for (const { by, ...rest } of scenario.steps) await act(handle, { ...rest, actorId: by });
      const result = await handle.result();
      const json = JSON.stringify(historyToObject(await handle.fetchHistory()));
      fs.writeFileSync(path.join(dir, `${scenario.name}.json.gz`), gzipSync(json, { level: 9 }));
      console.log(`${scenario.name}: ${result.status}${result.outcome ? ` (${result.outcome})` : ''}`);
    }
  } finally {
    for (const stop of stops.reverse()) await stop().catch((err: unknown) => console.error(err));
  }
}

/** Sends a command, waiting while the stage is still opening or a timer (公示, a delayed follow-up) runs. */
async function act(handle: { executeUpdate: (def: typeof actUpdate, opts: { args: [CaseCommand] }) => Promise<unknown> }, command: CaseCommand) {
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await handle.executeUpdate(actUpdate, { args: [command] });
    } catch (err) {
      // The stage is still opening, or (sdk-core 1.24, see api/temporal.ts) the worker dropped the Update unprocessed.
      const retry =
        err instanceof WorkflowUpdateFailedError && /not open yet|not assigned|no stage is open|being re-checked|wasn't processed by worker/.test(String(err.cause?.message));
      if (!retry || attempt > 100) throw err;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
