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
import type { Client } from '@temporalio/client';
import { startStack, type Stack } from '../app/stack';
import { HISTORIES_DIR, historyToObject } from '../infra/histories';
import { createLogger } from '../infra/logger';
import { connectTemporalClient } from '../infra/temporal-connection';
import type { CaseGroupInput } from '../domain/case-groups';
import type { RuleSet } from '../domain/rules';
import { NEWEST_PATCH } from '../workflows/case';
import {
  assessmentConfirmedUpdate,
  assessmentNotifiedUpdate,
  assessmentProposalUpdate,
  assessmentScoresUpdate,
  groupDecisionUpdate,
  groupOpenedUpdate,
  type caseGroupWorkflow,
} from '../workflows/case-group';
import { stateQuery, type CaseWorkflow } from '../workflows/messages';
import { currentScenarios, runScenario, sendAction } from './history-scenarios';

async function main() {
  let stack: Stack | undefined;
  let client: Client | undefined;
  try {
    stack = await startStack({
      // Unencrypted payloads: the replay test reads the histories without the codec's keys.
      env: { ...process.env, TEMPORAL_TASK_QUEUE: 'histories', RULE_SET: 'demo', RULES_FILE: undefined, PAYLOAD_CODEC: 'off' },
      data: { throwaway: 'histories-' },
      ports: 'free',
      database: 'histories',
      preferPrismaMigrate: false,
      seed: true,
      worker: 'in-process',
      logger: createLogger('silent'),
    });
    const { taskQueue } = stack.config.temporal;
    // As the service's own clients connect (TLS, payload codec): the recorder also runs against npm run cluster.
    client = await connectTemporalClient(stack.config);
    const dir = path.join(HISTORIES_DIR, NEWEST_PATCH);
    fs.mkdirSync(dir, { recursive: true });

    // Only what the folder lacks, of the current definitions (currentScenarios says why).
    const pending = currentScenarios().filter(([, scenario]) => !fs.existsSync(path.join(dir, `${scenario.name}.json.gz`)));
    for (const [type, scenario] of pending) {
      const handle = await runScenario(client, taskQueue, type, scenario);
      const result = await handle.result();
      const json = JSON.stringify(historyToObject(await handle.fetchHistory()));
      fs.writeFileSync(path.join(dir, `${scenario.name}.json.gz`), gzipSync(json, { level: 9 }));
      console.log(`${scenario.name}: ${result.status}${result.outcome ? ` (${result.outcome})` : ''}`);
    }
    if (!fs.existsSync(path.join(dir, `${ROUND_HISTORY}.json.gz`))) {
      const json = JSON.stringify(historyToObject(await recordRound(client, taskQueue)));
      fs.writeFileSync(path.join(dir, `${ROUND_HISTORY}.json.gz`), gzipSync(json, { level: 9 }));
      console.log(`${ROUND_HISTORY}: closed`);
    }
    if (!fs.existsSync(path.join(dir, `${ASSESSMENT_HISTORY}.json.gz`))) {
      const json = JSON.stringify(
        historyToObject(await recordAssessment(client, taskQueue, (stack.ruleSet as RuleSet).annualAssessment.evaluationWeights)),
      );
      fs.writeFileSync(path.join(dir, `${ASSESSMENT_HISTORY}.json.gz`), gzipSync(json, { level: 9 }));
      console.log(`${ASSESSMENT_HISTORY}: closed`);
    }
  } finally {
    await client?.connection.close();
    // Everything started is stopped again, also when a later step fails.
    await stack?.stop();
  }
}

/**
 * The parent workflow of a yearly promotion round (workflows/case-group.ts): its one member recommended, the list
 * decided and delivered by the round to the case (round-forwarding), the case ended.
 */
const ROUND_HISTORY = 'case-group-promotion-round';

async function recordRound(client: Client, taskQueue: string) {
  const groupId = `history-${ROUND_HISTORY}`;
  const input: CaseGroupInput = {
    groupId,
    kind: 'promotion-round',
    orgUnitId: 'nhl',
    year: 2026,
    openedBy: 'clerk-nhl',
    openedAt: new Date().toISOString(),
    members: [{ workerId: 'w-jsl-03', caseId: `${groupId}-w-jsl-03`, type: 'promotion', payload: { kind: 'regular' } }],
  };
  const group = await client.workflow.start<typeof caseGroupWorkflow>('caseGroupWorkflow', {
    workflowId: groupId,
    taskQueue,
    args: [input],
  });
  await group.executeUpdate(groupOpenedUpdate);
  const member = client.workflow.getHandle<CaseWorkflow>(`${groupId}-w-jsl-03`);
  await sendAction(member, { action: 'approve', actorId: 'sec-jsl', comment: '同意推荐' });
  const meeting = {
    meetingDate: new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10),
    members: ['dgw-nhl-1', 'dgw-nhl-2', 'dgw-nhl-3'].map((userId) => ({ userId, attendance: 'present' as const, vote: 'for' as const })),
    minutes: '会议纪要',
    resolution: '同意晋升名单',
  };
  await group.executeUpdate(groupDecisionUpdate, { args: [{ ...meeting, recordedBy: 'dgw-nhl-1', recordedAt: new Date().toISOString() }] });
  await group.result();
  return group.fetchHistory();
}

/**
 * The parent workflow of a community's annual assessment: its one member's 述职 and scores; the proposal, the street's
 * confirmation and the notice (a review period of seconds), each recorded on the group and delivered to the case by
 * the group (assessment-forwarding); the result entered when the period ends.
 */
const ASSESSMENT_HISTORY = 'case-group-annual-assessment';

async function recordAssessment(client: Client, taskQueue: string, weights: RuleSet['annualAssessment']['evaluationWeights']) {
  const groupId = `history-${ASSESSMENT_HISTORY}`;
  const caseId = `${groupId}-w-jsl-03`;
  const input: CaseGroupInput = {
    groupId,
    kind: 'annual-assessment',
    orgUnitId: 'jsl',
    year: 2026,
    openedBy: 'clerk-jsl',
    openedAt: new Date().toISOString(),
    members: [{ workerId: 'w-jsl-03', caseId, type: 'assessment', payload: { year: 2026 } }],
  };
  const group = await client.workflow.start<typeof caseGroupWorkflow>('caseGroupWorkflow', {
    workflowId: groupId,
    taskQueue,
    args: [input],
  });
  await group.executeUpdate(groupOpenedUpdate);
  const member = client.workflow.getHandle<CaseWorkflow>(caseId);
  const at = () => new Date().toISOString();
  await sendAction(member, { action: 'approve', actorId: 'sec-jsl', data: { report: '年度述职报告' } });
  await group.executeUpdate(assessmentScoresUpdate, {
    args: ['w-jsl-03', [{ evaluator: '居民代表 甲', group: 'residents', score: 90, recordedBy: 'clerk-jsl', recordedAt: at() }]],
  });
  // The group delivers the tally and the proposed result, the confirmation and the notice to the case itself.
  await group.executeUpdate(assessmentProposalUpdate, {
    args: [{ results: [{ workerId: 'w-jsl-03', result: 'competent' }], recordedBy: 'sec-jsl', recordedAt: at() }, weights],
  });
  const atStage = async (stageId: string) => {
    for (;;) {
      const state = await member.query(stateQuery);
      if (state.current?.stageId === stageId && state.current.phase === 'open') return;
      await new Promise((r) => setTimeout(r, 200));
    }
  };
  await atStage('street-confirmation');
  await group.executeUpdate(assessmentConfirmedUpdate, { args: [{ recordedBy: 'dgw-nhl-1', recordedAt: at(), comment: '同意' }] });
  await atStage('notification');
  const notifiedAt = new Date();
  const reviewEndsAt = new Date(notifiedAt.getTime() + 3_000).toISOString();
  await group.executeUpdate(assessmentNotifiedUpdate, {
    args: [{ notifiedAt: notifiedAt.toISOString(), reviewEndsAt, recordedBy: 'sec-jsl' }],
  });
  await group.result();
  return group.fetchHistory();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
