/**
 * Records the workflow histories of the cases in history-scenarios.ts (at least one per case type) into
 * test/histories/<newest patch marker>/ (gzipped JSON), for the replay test that fails CI when a
 * workflow change is not deterministic. Run after each versioned change to the workflow (a new patch marker),
 * or to add the histories of a new version of a case type's definition:
 *
 *   npm run -s histories:record
 *
 * A history already saved in the folder is kept (it is what that code ran): only the scenarios without one are
 * recorded, each with the version of its case type's definition it names. It starts its own throwaway PostgreSQL
 * and Temporal dev server, so nothing else needs to run.
 */
import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { Client, Connection, WorkflowUpdateFailedError } from '@temporalio/client';
import { startStack, type Stack } from '../app/stack';
import { CASE_TYPES, CASE_TYPE_NAMES, definitionOf, snapshotFor } from '../domain/case-types';
import type { CaseCommand, CaseInput } from '../domain/process/engine';
import { BUILT_IN_RULE_SETS, type RuleSet } from '../domain/rules';
import { HISTORIES_DIR, historyToObject } from '../infra/histories';
import { createLogger } from '../infra/logger';
import type { PrismaClient } from '../infra/prisma';
import { createStore } from '../store';
import { subjectRef } from '../store/personnel';
import { NEWEST_PATCH, caseWorkflow } from '../workflows/case';
import { actUpdate } from '../workflows/messages';
import { SCENARIOS } from './history-scenarios';

async function main() {
  let stack: Stack | undefined;
  let connection: Connection | undefined;
  try {
    stack = await startStack({
      env: { ...process.env, TEMPORAL_TASK_QUEUE: 'histories', RULE_SET: 'demo', RULES_FILE: undefined },
      data: { throwaway: 'histories-' },
      ports: 'free',
      database: 'histories',
      preferPrismaMigrate: false,
      seed: true,
      worker: 'in-process',
      logger: createLogger('silent'),
    });
    const store = createStore(stack.prisma as PrismaClient);
    const { taskQueue } = stack.config.temporal;
    connection = await Connection.connect({ address: stack.temporal.address });
    const client = new Client({ connection });
    const ruleSet = BUILT_IN_RULE_SETS.demo as RuleSet;
    const dir = path.join(HISTORIES_DIR, NEWEST_PATCH);
    fs.mkdirSync(dir, { recursive: true });

    const pending = CASE_TYPE_NAMES.flatMap((type) => SCENARIOS[type].map((scenario) => [type, scenario] as const)).filter(
      ([, scenario]) => !fs.existsSync(path.join(dir, `${scenario.name}.json.gz`)),
    );
    for (const [type, scenario] of pending) {
      const version = scenario.version ?? CASE_TYPES[type].definition.version;
      const definition = definitionOf(type, version);
      if (!definition) throw new Error(`scenario ${scenario.name}: ${type} has no version ${version}`);
      const subject = await store.personnel.entry(scenario.subjectId);
      if (!subject) throw new Error(`scenario ${scenario.name}: no community worker ${scenario.subjectId} in the seed`);
      const input: CaseInput = {
        caseId: `history-${scenario.name}`,
        type,
        definition: snapshotFor(definition, ruleSet, scenario.payload),
        applicantId: scenario.applicantId,
        subject: subjectRef(subject),
        payload: scenario.payload,
        calendar: await store.calendar.workflowCalendar(),
      };
      const handle = await client.workflow.start(caseWorkflow, { workflowId: input.caseId, taskQueue, args: [input] });
      for (const { by, ...rest } of scenario.steps) await act(handle, { ...rest, actorId: by });
      const result = await handle.result();
      const json = JSON.stringify(historyToObject(await handle.fetchHistory()));
      fs.writeFileSync(path.join(dir, `${scenario.name}.json.gz`), gzipSync(json, { level: 9 }));
      console.log(`${scenario.name}: ${result.status}${result.outcome ? ` (${result.outcome})` : ''}`);
    }
  } finally {
    await connection?.close();
    // Everything started is stopped again, also when a later step fails.
    await stack?.stop();
  }
}

/** Sends a command, waiting while the stage is still opening or a timer (公示, a delayed follow-up) runs. */
async function act(
  handle: { executeUpdate: (def: typeof actUpdate, opts: { args: [CaseCommand] }) => Promise<unknown> },
  command: CaseCommand,
) {
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await handle.executeUpdate(actUpdate, { args: [command] });
    } catch (err) {
      // The stage is still opening, or (sdk-core 1.24, see services/temporal.ts) the worker dropped the Update unprocessed.
      const retry =
        err instanceof WorkflowUpdateFailedError &&
        /not open yet|not assigned|no stage is open|being re-checked|being escalated|wasn't processed by worker/.test(
          String(err.cause?.message),
        );
      if (!retry || attempt > 100) throw err;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
