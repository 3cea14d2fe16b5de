import { WorkflowUpdateFailedError, type Client, type WorkflowHandle } from '@temporalio/client';
import type { CaseTypeName } from '../domain/case-types';
import type { Json } from '../domain/history';
import type { CaseCommand } from '../domain/process/engine';
import { actUpdate, type CaseWorkflow } from '../workflows/messages';

/**
 * The cases `npm run -s histories:record` runs and records for the replay test (test/replay.test.ts), on
 * the demo seed's organisation: at least one per case type, and one that exercises return, resubmission,
 * 加签, comments and reminders.
 */

/** A command as the scenario states it: who acts, and what they send. */
type Step = CaseCommand extends infer C ? (C extends CaseCommand ? Omit<C, 'actorId'> & { by: string } : never) : never;

export interface Scenario {
  /** The history's file name: "<case type>-<what happens>". */
  name: string;
  subjectId: string;
  applicantId: string;
  payload: Record<string, Json>;
  steps: Step[];
}

/** At least one recorded case per case type (test/replay.test.ts requires a history of each). */
export const SCENARIOS: Record<CaseTypeName, Scenario[]> = {
  promotion: [
    {
      name: 'promotion-objection-dismissed',
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
  ],
  recruitment: [
    {
      name: 'recruitment-appointed',
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
  ],
  'error-tolerance': [
    {
      name: 'error-tolerance-corrected',
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
  ],
  'name-clearing': [
    {
      name: 'name-clearing-visited',
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
  ],
  commendation: [
    {
      name: 'commendation-awarded',
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
  ],
  exit: [
    {
      name: 'exit-elected-removed',
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
      subjectId: 'w-jsl-05',
      applicantId: 'clerk-jsl',
      payload: { reason: 'consecutive-incompetent', detail: '连续两年不合格' },
      steps: [{ by: 'dgw-nhl-1', action: 'reject', comment: '给予改进期' }],
    },
  ],
};

/**
 * Starts a scenario's case on a task queue and takes its steps, each as the API sends it (with the time of the
 * request), waiting while a stage is still opening or a timer (公示, a delayed follow-up) runs. Resolves with the
 * case's handle once every step is taken.
 */
export async function runScenario(
  client: Client,
  taskQueue: string,
  type: CaseTypeName,
  scenario: Scenario,
  caseId = `history-${scenario.name}`,
): Promise<WorkflowHandle<CaseWorkflow>> {
  const handle = await client.workflow.start<CaseWorkflow>('caseWorkflow', {
    workflowId: caseId,
    taskQueue,
    args: [
      {
        caseId,
        type,
        subjectId: scenario.subjectId,
        payload: scenario.payload,
        applicantId: scenario.applicantId,
        submittedAt: new Date().toISOString(),
      },
    ],
  });
  for (const { by, ...rest } of scenario.steps) await sendAction(handle, { ...rest, actorId: by });
  return handle;
}

/** Sends a command, waiting while the stage is still opening or a timer runs. */
export async function sendAction(handle: WorkflowHandle<CaseWorkflow>, command: CaseCommand) {
  // The time the request was made, as the API sends it; the same for every attempt.
  const requestedAt = new Date().toISOString();
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await handle.executeUpdate(actUpdate, { args: [command, { requestedAt }] });
    } catch (err) {
      // The stage is still opening, or (sdk-core 1.24, see services/temporal.ts) the worker dropped the Update unprocessed.
      const retry =
        err instanceof WorkflowUpdateFailedError &&
        /not open yet|not assigned|no stage is open|being re-checked|still opening|wasn't processed by worker/.test(
          String(err.cause?.message),
        );
      if (!retry || attempt > 150) throw err;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}
