import type { Client } from '@temporalio/client';
import { proposalProblems } from '../domain/annual-assessment';
import { localDate } from '../domain/calendar';
import { caseGroupId, type CaseGroupInput } from '../domain/case-groups';
import { BUILT_IN_RULE_SETS } from '../domain/rules';
import type { PrismaClient } from '../infra/prisma';
import {
  assessmentConfirmedUpdate,
  assessmentNotifiedUpdate,
  assessmentProposalUpdate,
  assessmentScoresUpdate,
  groupOpenedUpdate,
  type caseGroupWorkflow,
} from '../workflows/case-group';
import { stateQuery, type CaseWorkflow } from '../workflows/messages';
import { runScenario, sendAction, SCENARIOS } from './history-scenarios';

/**
 * Demo cases that need the workflows running, started by `npm start` after the seed: an exit decided and an
 * appeal of it still open (awaiting acceptance at the county), so the demo shows an open appeal, the link on both
 * cases, and the exit standing while it is reviewed (or held, where the county's rules set appeal.holdsExit). They run through the case workflow with the steps of the saved
 * histories' scenarios (scripts/history-scenarios.ts), as each user would take them. Safe to repeat: a case
 * already on record is left alone, and nothing starts for a worker who is no longer in service.
 *
 * Last year's annual assessment of 高云岭社区, done (seedDemoAssessment).
 *
 * And this year's promotion round (年度晋升) of 湖南路街道 in progress: two people of 马台街社区 proposed, their
 * cases at the community's recommendation (the batch approval of the inbox), started as the round's workflow
 * starts it once the API has checked eligibility and the quota (services/case-groups.ts).
 */
export const DEMO_CASES = { exit: 'demo-exit-w-jyj-02', appeal: 'demo-appeal-w-jyj-02' } as const;
const DEMO_ROUND = { streetId: 'hnl', openedBy: 'clerk-hnl', workers: ['w-mtj-02', 'w-mtj-03'] } as const;
export const demoRoundId = (now = new Date()) => caseGroupId('promotion-round', DEMO_ROUND.streetId, Number(localDate(now).slice(0, 4)));

/** Last year's annual assessment of 高云岭社区, done: its results are the ones the seed put on the records. */
export const DEMO_ASSESSMENT = { community: 'gyl', street: 'hnl', year: 2025, id: 'annual-assessment-gyl-2025' } as const;

export async function seedDemoCases(client: Client, taskQueue: string, prisma: PrismaClient): Promise<string[]> {
  return [
    ...(await seedExitAndAppeal(client, taskQueue, prisma)),
    ...((await seedDemoAssessment(client, taskQueue, prisma)) ? [DEMO_ASSESSMENT.id] : []),
    ...(await seedRound(client, taskQueue, prisma)),
  ];
}

async function seedRound(client: Client, taskQueue: string, prisma: PrismaClient): Promise<string[]> {
  const now = new Date();
  const groupId = demoRoundId(now);
  if (await prisma.caseGroup.findUnique({ where: { id: groupId }, select: { id: true } })) return [];
  const active = await prisma.communityWorker.findMany({
    where: { id: { in: [...DEMO_ROUND.workers] }, status: 'active' },
    select: { id: true },
  });
  if (active.length === 0) return [];
  const input: CaseGroupInput = {
    groupId,
    kind: 'promotion-round',
    orgUnitId: DEMO_ROUND.streetId,
    year: Number(localDate(now).slice(0, 4)),
    openedBy: DEMO_ROUND.openedBy,
    openedAt: now.toISOString(),
    members: active
      .map((w) => w.id)
      .sort()
      .map((workerId) => ({ workerId, caseId: `demo-round-${workerId}`, type: 'promotion', payload: { kind: 'regular' } })),
  };
  const round = await client.workflow.start<typeof caseGroupWorkflow>('caseGroupWorkflow', {
    workflowId: groupId,
    taskQueue,
    args: [input],
  });
  // On record, with its cases started, once the round answers that it has opened.
  await round.executeUpdate(groupOpenedUpdate, { updateId: 'opened' });
  return [groupId];
}

async function seedExitAndAppeal(client: Client, taskQueue: string, prisma: PrismaClient): Promise<string[]> {
  const exitScenario = SCENARIOS.exit.find((s) => s.name === 'exit-v2-heard-removed-recalled');
  const appealScenario = SCENARIOS.appeal.find((s) => s.name === 'appeal-exit-upheld');
  if (!exitScenario || !appealScenario) throw new Error('the demo cases name scenarios that no longer exist');
  const statusOf = async (id: string) => (await prisma.case.findUnique({ where: { id }, select: { status: true } }))?.status;
  const started: string[] = [];
  if (!(await statusOf(DEMO_CASES.exit))) {
    const worker = await prisma.communityWorker.findUnique({ where: { id: exitScenario.subjectId }, select: { status: true } });
    if (worker?.status !== 'active') return started;
    await (await runScenario(client, taskQueue, 'exit', exitScenario, DEMO_CASES.exit)).result();
    started.push(DEMO_CASES.exit);
  }
  if ((await statusOf(DEMO_CASES.exit)) === 'completed' && !(await statusOf(DEMO_CASES.appeal))) {
    // Filed, not yet taken up: the appeal stays open at its first stage.
    await runScenario(client, taskQueue, 'appeal', { ...appealScenario, steps: [] }, DEMO_CASES.appeal, () => DEMO_CASES.exit);
    // On record once its admission is written, so that a repeat finds it.
    for (let waited = 0; !(await statusOf(DEMO_CASES.appeal)); waited += 200) {
      if (waited > 60_000) throw new Error(`the demo appeal ${DEMO_CASES.appeal} was started but is not on record`);
      await new Promise((r) => setTimeout(r, 200));
    }
    started.push(DEMO_CASES.appeal);
  }
  return started;
}

/**
 * Runs last year's assessment of one community through its group workflow, each step as its user takes it (the
 * secretary's own case by the deputy), proposing the results the seed recorded; the review period is over at once,
 * so the group closes with every result entered (the rows the seed wrote, which it finds and keeps). False when it
 * is already on record.
 */
async function seedDemoAssessment(client: Client, taskQueue: string, prisma: PrismaClient): Promise<boolean> {
  const { community, street, year, id: groupId } = DEMO_ASSESSMENT;
  if (await prisma.caseGroup.findUnique({ where: { id: groupId } })) return false;
  const workers = await prisma.communityWorker.findMany({
    where: { orgUnitId: community, status: 'active', assessments: { some: { year } } },
    include: { assessments: { where: { year } } },
    orderBy: { id: 'asc' },
  });
  const results = workers.map((w) => {
    const result = w.assessments[0]?.result ?? 'competent';
    const weak = result === 'basically_competent' || result === 'incompetent';
    return { workerId: w.id, result, ...(weak ? { reason: '全年考勤和民主测评结果偏低（演示）' } : {}) };
  });
  const rules = (BUILT_IN_RULE_SETS['jiangsu-2025'] ?? BUILT_IN_RULE_SETS.demo)?.annualAssessment;
  const problems = rules ? proposalProblems(results, rules) : [];
  if (problems.length > 0)
    throw new Error(`the seed's ${year} results of ${community} break the rules: ${problems.map((p) => p.message.en).join('; ')}`);
  const input: CaseGroupInput = {
    groupId,
    kind: 'annual-assessment',
    orgUnitId: community,
    year,
    openedBy: `clerk-${community}`,
    openedAt: new Date().toISOString(),
    members: workers.map((w) => ({ workerId: w.id, caseId: `${groupId}-${w.id}`, type: 'assessment', payload: { year } })),
  };
  const group = await client.workflow.start<typeof caseGroupWorkflow>('caseGroupWorkflow', {
    workflowId: groupId,
    taskQueue,
    args: [input],
  });
  await group.executeUpdate(groupOpenedUpdate);
  const by = (workerId: string) => (workerId === `w-${community}-01` ? `dep-${community}` : `sec-${community}`);
  const at = () => new Date().toISOString();
  /** Until every case is open at the stage (the group's deliveries are retried until each case gets there). */
  const allAt = async (stageId: string) => {
    for (const until = Date.now() + 120_000; ;) {
      const states = await Promise.all(input.members.map((m) => client.workflow.getHandle<CaseWorkflow>(m.caseId).query(stateQuery)));
      if (states.every((st) => st.current?.stageId === stageId && st.current.phase === 'open')) return;
      if (Date.now() > until) throw new Error(`the demo assessment's cases did not all reach ${stageId}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  };
  // One member after another: the full Temporal server refuses more than 10 Updates in flight on one workflow
  // (the group's), and a refused call in a Promise.all would leave the others retrying on a closed connection.
  for (const m of input.members) {
    await sendAction(client.workflow.getHandle<CaseWorkflow>(m.caseId), {
      action: 'approve',
      actorId: by(m.workerId),
      data: { report: `${year}年度述职报告` },
    });
    await group.executeUpdate(assessmentScoresUpdate, {
      args: [
        m.workerId,
        [
          { evaluator: '居民代表 甲', group: 'residents', score: 88, recordedBy: `clerk-${community}`, recordedAt: at() },
          { evaluator: '同事 乙', group: 'colleagues', score: 86, recordedBy: `clerk-${community}`, recordedAt: at() },
        ],
      ],
    });
  }
  // The group delivers the tally, the proposed result, the confirmation and the notice to each case itself; the
  // secretary's own case refuses him (回避), so the deputy sends the proposal and the notice again for it.
  const weights = rules?.evaluationWeights;
  for (const sender of [`sec-${community}`, `dep-${community}`])
    await group.executeUpdate(assessmentProposalUpdate, { args: [{ results, recordedBy: sender, recordedAt: at() }, weights] });
  await allAt('street-confirmation');
  await group.executeUpdate(assessmentConfirmedUpdate, { args: [{ recordedBy: `dgw-${street}-1`, recordedAt: at(), comment: '同意' }] });
  await allAt('notification');
  const notifiedAt = new Date();
  const reviewEndsAt = new Date(notifiedAt.getTime() + 1_000).toISOString();
  for (const sender of [`sec-${community}`, `dep-${community}`])
    await group.executeUpdate(assessmentNotifiedUpdate, {
      args: [{ notifiedAt: notifiedAt.toISOString(), reviewEndsAt, recordedBy: sender }],
    });
  await group.result();
  return true;
}
