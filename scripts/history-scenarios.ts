import { WorkflowUpdateFailedError, type Client, type WorkflowHandle } from '@temporalio/client';
import { CASE_TYPES, CASE_TYPE_NAMES, type CaseTypeName } from '../domain/case-types';
import { addDays } from '../domain/dates';
import type { Json } from '../domain/history';
import type { CaseCommand } from '../domain/process/engine';
import { actUpdate, type CaseWorkflow } from '../workflows/messages';

/**
 * The cases `npm run -s histories:record` runs and records for the replay test (test/replay.test.ts), on
 * the demo seed's organisation: at least one per case type, one that exercises return, resubmission, 加签,
 * comments and reminders, and one of every version of each case type's definition that cases run.
 */

/** Today in China Standard Time: a committee's meeting cannot predate the stage it decides. */
const TODAY = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);

/** A meeting of the committee with these members, all present and for. */
const meeting = (by: string, members: string[], data?: Record<string, Json>): Step => ({
  by,
  action: 'record-meeting',
  meetingDate: TODAY,
  members: members.map((userId) => ({ userId, attendance: 'present', vote: 'for' })),
  minutes: '会议纪要',
  resolution: '同意',
  ...(data ? { data } : {}),
});
const DGW_NHL = ['dgw-nhl-1', 'dgw-nhl-2', 'dgw-nhl-3'];

/** A command as the scenario states it: who acts, and what they send. */
type Step = CaseCommand extends infer C ? (C extends CaseCommand ? Omit<C, 'actorId'> & { by: string } : never) : never;

export interface Scenario {
  /** The history's file name: "<case type>-<what happens>". */
  name: string;
  /** The version of the case type's definition the case runs (default: the current one). */
  version?: number;
  subjectId: string;
  applicantId: string;
  payload: Record<string, Json>;
  /** Payload fields that name another scenario's case (an appeal's `appealOf`), by that scenario's name. */
  links?: Record<string, string>;
  steps: Step[];
}

/** The case id a scenario's case gets when recorded (scripts/record-histories.ts). */
export const recordedCaseId = (scenarioName: string) => `history-${scenarioName}`;

/**
 * An error-tolerance case from the flood-relief incident to its verified correction, the ruling replied and filed
 * under the given numbers (versions 2 and 3 take the same steps; v3 also copies the ruling).
 */
function repliedAndFiled(replyRef: string, filingRef: string): Omit<Scenario, 'name'> {
  return {
    subjectId: 'w-jsl-04',
    applicantId: 'clerk-jsl',
    payload: {
      incidentDate: '2026-07-20',
      description: '防汛中临时调用物资',
      emergency: true,
      accountabilityRef: '鼓纪问〔2026〕7号',
      accountabilityStartedOn: '2026-08-01',
    },
    steps: [
      { by: 'jgw-nhl-1', action: 'approve' },
      {
        by: 'jgw-nhl-2',
        action: 'approve',
        data: { lawful: true, diligentWithoutIntent: true, publicInterest: true, dueProcess: true, corrected: true, findings: '属实' },
      },
      { by: 'jgw-nhl-2', action: 'approve', data: { statement: '情况紧急' } },
      meeting('jw-1', ['jw-1', 'jw-2', 'jw-3'], { ruling: 'mitigated', correctionRequired: true }),
      { by: 'jw-1', action: 'approve', data: { repliedOn: TODAY, replyRef } },
      { by: 'zzb-1', action: 'approve', data: { receivedOn: TODAY } },
      { by: 'jw-2', action: 'approve', data: { filedWith: 'party-committee', filedOn: TODAY, filingRef } },
      { by: 'jgw-nhl-1', action: 'approve', data: { correctedOn: TODAY, verification: '已整改' } },
    ],
  };
}

/** At least one recorded case per case type (test/replay.test.ts requires a history of each). */
export const SCENARIOS: Record<CaseTypeName, Scenario[]> = {
  promotion: [
    {
      name: 'promotion-objection-dismissed',
      version: 2,
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
      name: 'promotion-v3-committee-meeting',
      version: 3,
      subjectId: 'w-mtj-03',
      applicantId: 'clerk-mtj',
      payload: { kind: 'regular' },
      steps: [{ by: 'sec-mtj', action: 'approve' }, meeting('dgw-hnl-1', ['dgw-hnl-1', 'dgw-hnl-2', 'dgw-hnl-3'])],
    },
    {
      // A promotion of a yearly round: the street committee's one meeting on the list, naming the round's decision.
      name: 'promotion-v4-round-decision',
      subjectId: 'w-mtj-03',
      applicantId: 'clerk-hnl',
      payload: { kind: 'regular' },
      steps: [
        { by: 'sec-mtj', action: 'approve', comment: '同意推荐' },
        meeting('dgw-hnl-1', ['dgw-hnl-1', 'dgw-hnl-2', 'dgw-hnl-3'], { round: 'case-groups/promotion-round-hnl-2026#decision' }),
      ],
    },
    {
      name: 'promotion-returned-added-approver',
      version: 2,
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
      name: 'recruitment-v2-jiangsu-secretary',
      subjectId: 'w-jsl-01',
      applicantId: 'clerk-jsl',
      payload: { track: 'jiangsu-secretary', targetOrg: '宁海路街道社区服务中心', post: '管理岗' },
      steps: [
        { by: 'bsc-nhl-1', action: 'approve' },
        { by: 'zzb-1', action: 'approve' },
        { by: 'zzb-2', action: 'approve', data: { inspectionPassed: true, medicalPassed: true } },
        meeting('zzb-3', ['zzb-1', 'zzb-2', 'zzb-3'], { appointedOn: TODAY }),
      ],
    },
    {
      name: 'recruitment-appointed',
      version: 1,
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
      // Version 3: the collective decision copies the ruling (抄送) to the county organisation department.
      name: 'error-tolerance-v3-copied',
      ...repliedAndFiled('鼓纪容〔2026〕2号', '鼓纪报〔2026〕4号'),
    },
    { name: 'error-tolerance-v2-replied-filed', version: 2, ...repliedAndFiled('鼓纪容〔2026〕1号', '鼓纪报〔2026〕3号') },
    {
      name: 'error-tolerance-corrected',
      version: 1,
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
      name: 'name-clearing-v2-county-verified-referred',
      subjectId: 'w-jsl-10',
      applicantId: 'clerk-jsl',
      payload: {
        accusationRef: 'XF-2026-2',
        findingSummary: '反映问题不属实',
        verifiedBy: 'county-discipline',
        initiatedBy: 'department-proposal',
      },
      steps: [
        { by: 'jw-2', action: 'approve', data: { finding: 'false-accusation' } },
        { by: 'jw-3', action: 'approve', data: { wantsClearance: true, method: 'meeting', scope: '社区两委班子' } },
        { by: 'jw-1', action: 'approve' },
        {
          by: 'jw-3',
          action: 'approve',
          data: { clearedOn: TODAY, method: 'meeting', scope: '社区两委班子', writtenNoticeRef: '鼓纪澄〔2026〕2号' },
        },
        { by: 'jw-3', action: 'approve', data: { referredTo: '公安机关', referredOn: TODAY, referralRef: '鼓纪移〔2026〕1号' } },
        { by: 'jw-3', action: 'approve', data: { visitedOn: TODAY, notes: '思想稳定' } },
        { by: 'jw-2', action: 'approve', data: { archivedOn: TODAY, archiveRef: 'DA-2026-1' } },
      ],
    },
    {
      name: 'name-clearing-visited',
      version: 1,
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
      name: 'commendation-v2-city-award',
      subjectId: 'w-jsl-02',
      applicantId: 'clerk-jsl',
      payload: { awardTitle: '南京市优秀社区工作者', achievements: '表现突出', level: 'city' },
      steps: [
        { by: 'sec-jsl', action: 'approve' },
        meeting('dgw-nhl-1', DGW_NHL),
        { by: 'jgw-nhl-1', action: 'approve', data: { opinion: 'no-differing-views' } },
        { by: 'swb-1', action: 'approve' },
        { by: 'swb-2', action: 'approve' },
        { by: 'swb-3', action: 'approve' },
        // Nobody at the county who has not decided a stage: the recommendation goes to the city's department.
        { by: 'swb-nj-1', action: 'approve' },
        { by: 'swb-nj-2', action: 'approve', data: { awardedOn: TODAY } },
      ],
    },
    {
      name: 'commendation-awarded',
      version: 1,
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
      name: 'exit-v2-heard-removed-recalled',
      subjectId: 'w-jyj-02',
      applicantId: 'clerk-jyj',
      payload: { reason: 'dereliction', detail: '失职造成重大损失' },
      steps: [
        // 委托 (since the 'delegation' patch): the street office's findings decided by a colleague for bsc-nhl-1 on leave.
        { by: 'bsc-nhl-1', action: 'approve', data: { findings: '属实' }, delegate: { userId: 'jgw-nhl-1', name: '纪工委委员' } },
        { by: 'bsc-nhl-1', action: 'approve', data: { statement: '本人陈述' } },
        meeting('dgw-nhl-1', DGW_NHL),
        { by: 'dgw-nhl-2', action: 'approve', data: { effectiveOn: TODAY, documentRef: '宁党工〔2026〕9号' } },
        { by: 'bsc-nhl-2', action: 'approve', data: { meetingDate: TODAY, entitled: 60, present: 41, votesFor: 35 } },
        { by: 'bsc-nhl-2', action: 'approve', data: { terminatedOn: TODAY } },
      ],
    },
    {
      name: 'exit-elected-removed',
      version: 1,
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
      version: 1,
      subjectId: 'w-jsl-05',
      applicantId: 'clerk-jsl',
      payload: { reason: 'consecutive-incompetent', detail: '连续两年不合格' },
      steps: [{ by: 'dgw-nhl-1', action: 'reject', comment: '给予改进期' }],
    },
  ],
  appeal: [
    {
      // The exit of exit-v2-heard-removed-recalled (recorded before it) appealed and reversed, heard at the county.
      name: 'appeal-exit-upheld',
      subjectId: 'w-jyj-02',
      applicantId: 'clerk-jyj',
      payload: { ground: 'exit', reason: '失职情形认定有误' },
      links: { appealOf: 'exit-v2-heard-removed-recalled' },
      steps: [
        { by: 'swb-1', action: 'approve' },
        { by: 'swb-1', action: 'approve', data: { heardOn: TODAY, statement: '本人陈述' } },
        { by: 'swb-2', action: 'approve', data: { result: 'upheld', reasoning: '原认定事实不清' } },
        { by: 'swb-2', action: 'approve', data: { repliedOn: TODAY, replyRef: '宁社工复〔2026〕1号' } },
      ],
    },
  ],
  secondment: [
    {
      name: 'secondment-approved',
      subjectId: 'w-jsl-03',
      applicantId: 'clerk-jsl',
      payload: { borrowingBody: '鼓楼区委社会工作部', reason: '基层治理专项工作', from: TODAY, to: addDays(TODAY, 60) },
      steps: [
        { by: 'dgw-nhl-1', action: 'approve' },
        { by: 'swb-1', action: 'approve' },
      ],
    },
  ],
  assessment: [
    {
      // One worker's case of a community's annual assessment, each step as services/assessments.ts forwards it.
      name: 'assessment-confirmed',
      subjectId: 'w-jsl-03',
      applicantId: 'clerk-jsl',
      payload: { year: 2026 },
      steps: [
        { by: 'sec-jsl', action: 'approve', data: { report: '全年完成网格走访和居民服务工作' } },
        {
          by: 'sec-jsl',
          action: 'approve',
          data: { score: 88.5, evaluators: 4, scoresRef: 'case-groups/annual-assessment-jsl-2026#scores/w-jsl-03' },
        },
        { by: 'sec-jsl', action: 'approve', data: { result: 'competent' } },
        { by: 'dgw-nhl-1', action: 'approve' },
        { by: 'sec-jsl', action: 'approve', data: { notifiedOn: TODAY, reviewEndsAt: `${addDays(TODAY, 31)}T00:00:00.000+08:00` } },
      ],
    },
  ],
};

/**
 * The scenarios a case started now runs: those of each type's current definition. Since v5 the workflow reads the
 * version in force itself, so a superseded version's scenario can only have been recorded by the code that ran it.
 */
export function currentScenarios(): (readonly [CaseTypeName, Scenario])[] {
  return CASE_TYPE_NAMES.flatMap((type) =>
    SCENARIOS[type]
      .filter((scenario) => (scenario.version ?? CASE_TYPES[type].definition.version) === CASE_TYPES[type].definition.version)
      .map((scenario) => [type, scenario] as const),
  );
}

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
  caseId = recordedCaseId(scenario.name),
  /** The case id another scenario's case got in the same run (default: as recorded). */
  caseIdOf: (scenarioName: string) => string = recordedCaseId,
): Promise<WorkflowHandle<CaseWorkflow>> {
  const handle = await client.workflow.start<CaseWorkflow>('caseWorkflow', {
    workflowId: caseId,
    taskQueue,
    args: [
      {
        caseId,
        type,
        subjectId: scenario.subjectId,
        payload: {
          ...scenario.payload,
          ...Object.fromEntries(Object.entries(scenario.links ?? {}).map(([field, name]) => [field, caseIdOf(name)])),
        },
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
