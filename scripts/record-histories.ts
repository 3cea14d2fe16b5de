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
import { startStack, type Stack } from '../app/stack';
import { caseTypeOf, snapshotFor } from '../domain/case-types';
import type { Json } from '../domain/history';
import type { CaseCommand, CaseInput } from '../domain/process/engine';
import { BUILT_IN_RULE_SETS, type RuleSet } from '../domain/rules';
import { HISTORIES_DIR, historyToObject } from '../infra/histories';
import { createLogger } from '../infra/logger';
import type { PrismaClient } from '../infra/prisma';
import { calendarStore } from '../store/calendar';
import { subjectRef } from '../store/personnel';
import { NEWEST_PATCH, actUpdate, caseWorkflow } from '../workflows/case';

/** A command as the scenario states it: who acts, and what they send. */
type Step = CaseCommand extends infer C ? (C extends CaseCommand ? Omit<C, 'actorId'> & { by: string } : never) : never;

interface Scenario {
  name: string;
  type: string;
  subjectId: string;
  applicantId: string;
  payload: Record<string, Json>;
  steps: Step[];
}

const SCENARIOS: Scenario[] = [
  {
    name: 'promotion-objection-dismissed',
    type: 'promotion',
    subjectId: 'w-jyj-03',
    applicantId: 'clerk-jyj',
    payload: { kind: 'regular' },
    steps: [
      { by: 'sec-jyj', action: 'approve', comment: '同意推荐' },
      { by: 'dgw-nhl-1', action: 'approve', comment: '同意' },
      { by: 'clerk-jyj', action: 'object', comment: '群众反映考勤问题' },
      { by: 'dgw-nhl-1', action: 'resolve-objection', objectionId: 'objection-1', resolution: 'dismissed', comment: '经核实不属实' },
    ],
  },
  {
    name: 'promotion-returned-added-approver',
    type: 'promotion',
    subjectId: 'w-jsl-03',
    applicantId: 'clerk-jsl',
    payload: { kind: 'regular' },
    steps: [
      { by: 'clerk-jsl', action: 'remind', comment: '请尽快审核' },
      { by: 'sec-jsl', action: 'return', comment: '请补充考核表', to: 'applicant' },
      { by: 'clerk-jsl', action: 'resubmit', payload: { kind: 'regular', reason: '已补充' } },
      { by: 'sec-jsl', action: 'add-approver', userId: 'dgw-nhl-3', position: 'before', comment: '请街道把关' },
      { by: 'dgw-nhl-3', action: 'approve' },
      { by: 'sec-jsl', action: 'comment', comment: '街道已同意' },
      { by: 'sec-jsl', action: 'approve' },
      { by: 'dgw-nhl-1', action: 'approve' },
    ],
  },
  {
    name: 'recruitment-appointed',
    type: 'recruitment',
    subjectId: 'w-jsl-01',
    applicantId: 'clerk-jsl',
    payload: { track: 'civil-service', targetOrg: '宁海路街道办事处', post: '综合管理岗' },
    steps: [
      { by: 'bsc-nhl-1', action: 'approve' },
      { by: 'zzb-1', action: 'approve' },
      { by: 'zzb-2', action: 'approve', data: { writtenScore: 80, interviewScore: 85 } },
      { by: 'zzb-2', action: 'approve', data: { inspectionPassed: true, medicalPassed: true } },
      { by: 'zzb-3', action: 'approve', data: { appointedOn: '2026-12-15' } },
    ],
  },
  {
    name: 'error-tolerance-corrected',
    type: 'error-tolerance',
    subjectId: 'w-jsl-04',
    applicantId: 'clerk-jsl',
    payload: { incidentDate: '2026-07-20', description: '防汛中临时调用物资', emergency: true },
    steps: [
      { by: 'jgw-nhl-1', action: 'approve' },
      { by: 'jgw-nhl-2', action: 'approve', data: { findings: '属实' } },
      { by: 'jgw-nhl-2', action: 'approve', data: { statement: '情况紧急' } },
      { by: 'jw-1', action: 'vote', choice: 'for' },
      { by: 'jw-2', action: 'vote', choice: 'for' },
      { by: 'jw-3', action: 'vote', choice: 'abstain' },
      { by: 'jw-1', action: 'close-vote', minutes: '常委会纪要', data: { ruling: 'partially-tolerated', correctionRequired: true } },
      { by: 'zzb-1', action: 'approve' },
      { by: 'jgw-nhl-1', action: 'approve', data: { correctedOn: '2026-11-20', verification: '已整改' } },
    ],
  },
  {
    name: 'name-clearing-visited',
    type: 'name-clearing',
    subjectId: 'w-jsl-10',
    applicantId: 'clerk-jsl',
    payload: { accusationRef: 'XF-2026-1', findingSummary: '反映问题不属实', method: 'meeting' },
    steps: [
      { by: 'jgw-nhl-1', action: 'approve' },
      { by: 'jw-1', action: 'approve' },
      { by: 'jgw-nhl-2', action: 'approve', data: { clearedOn: '2026-11-25', writtenNoticeRef: '宁纪澄〔2026〕1号' } },
      { by: 'jgw-nhl-2', action: 'approve', data: { visitedOn: '2026-12-28', notes: '思想稳定' } },
    ],
  },
  {
    name: 'commendation-awarded',
    type: 'commendation',
    subjectId: 'w-jsl-02',
    applicantId: 'clerk-jsl',
    payload: { awardTitle: '优秀社区工作者', achievements: '表现突出', level: 'county' },
    steps: [
      { by: 'sec-jsl', action: 'approve' },
      { by: 'jgw-nhl-1', action: 'approve', data: { opinion: 'no-objection' } },
      { by: 'swb-1', action: 'approve' },
      { by: 'swb-2', action: 'approve' },
      { by: 'swb-3', action: 'approve' },
      { by: 'zzb-1', action: 'approve', data: { awardedOn: '2026-12-20' } },
    ],
  },
  {
    name: 'exit-elected-removed',
    type: 'exit',
    subjectId: 'w-jyj-02',
    applicantId: 'clerk-jyj',
    payload: { reason: 'dereliction', detail: '失职造成重大损失' },
    steps: [
      { by: 'dgw-nhl-1', action: 'approve' },
      { by: 'bsc-nhl-1', action: 'approve', data: { waived: true } },
      { by: 'dgw-nhl-2', action: 'approve', data: { method: 'dismissal', effectiveOn: '2026-12-01' } },
      { by: 'bsc-nhl-2', action: 'approve', data: { terminatedOn: '2026-12-01' } },
    ],
  },
  {
    name: 'exit-rejected',
    type: 'exit',
    subjectId: 'w-jsl-05',
    applicantId: 'clerk-jsl',
    payload: { reason: 'consecutive-incompetent', detail: '连续两年不合格' },
    steps: [{ by: 'dgw-nhl-1', action: 'reject', comment: '给予改进期' }],
  },
];

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
    const prisma = stack.prisma as PrismaClient;
    const { taskQueue } = stack.config.temporal;
    connection = await Connection.connect({ address: stack.temporal.address });
    const client = new Client({ connection });
    const ruleSet = BUILT_IN_RULE_SETS.demo as RuleSet;
    const dir = path.join(HISTORIES_DIR, NEWEST_PATCH);
    fs.mkdirSync(dir, { recursive: true });

    for (const scenario of SCENARIOS) {
      const definition = caseTypeOf(scenario.type);
      if (!definition) throw new Error(`unknown type ${scenario.type}`);
      const subject = await prisma.communityWorker.findUniqueOrThrow({ where: { id: scenario.subjectId }, include: { orgUnit: { select: { path: true } } } });
      const input: CaseInput = {
        caseId: `history-${scenario.name}`,
        type: scenario.type,
        definition: snapshotFor(definition, ruleSet, scenario.payload),
        applicantId: scenario.applicantId,
        subject: subjectRef(subject),
        payload: scenario.payload,
        calendar: await calendarStore(prisma).workflowCalendar(),
      };
      const handle = await client.workflow.start(caseWorkflow, { workflowId: input.caseId, taskQueue, args: [input] });
      for (const { by, ...rest } of scenario.steps) await act(handle, { ...rest, actorId: by } as CaseCommand);
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
async function act(handle: { executeUpdate: (def: typeof actUpdate, opts: { args: [CaseCommand] }) => Promise<unknown> }, command: CaseCommand) {
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await handle.executeUpdate(actUpdate, { args: [command] });
    } catch (err) {
      // The stage is still opening, or (sdk-core 1.24, see services/temporal.ts) the worker dropped the Update unprocessed.
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
