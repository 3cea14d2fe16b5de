import request from 'supertest';
import { DEMO_ASSESSMENT, DEMO_CASES, demoRoundId, seedDemoCases } from '../scripts/demo-cases';
import { SCENARIOS } from '../scripts/history-scenarios';
import { bearer } from './helpers/api';
import { useApiStack } from './helpers/stack';

/**
 * The demo cases `npm start` starts after the seed (scripts/demo-cases.ts), against the real Temporal server and
 * PostgreSQL: an exit decided and its appeal open; under the default rules the exit stands while it is reviewed
 * (appeal.holdsExit false, as 公务员法 第九十五条); this year's promotion round in progress; a second start adds nothing.
 */
describe('demo cases', () => {
  const stack = useApiStack('demo-cases');

  test('an exit under an open appeal, and a round in progress; repeating starts nothing', async () => {
    const subjectId = SCENARIOS.exit[0]?.subjectId as string;
    const roundId = demoRoundId();
    expect(await seedDemoCases(stack.temporal.client, stack.taskQueue, stack.db.prisma)).toEqual([
      DEMO_CASES.exit,
      DEMO_CASES.appeal,
      DEMO_ASSESSMENT.id,
      roundId,
    ]);
    const appeal = await stack.drive.waitFor(DEMO_CASES.appeal, 'in_review');
    expect(appeal.payload).toMatchObject({ appealOf: DEMO_CASES.exit, ground: 'exit' });
    const exit = await request(stack.app)
      .get(`/api/v1/cases/${DEMO_CASES.exit}`)
      .set('Authorization', await bearer('auditor-1'));
    expect(exit.body).toMatchObject({ status: 'completed', appeals: [{ id: DEMO_CASES.appeal, status: 'in_review', outcome: null }] });
    const worker = await request(stack.app)
      .get(`/api/v1/workers/${subjectId}`)
      .set('Authorization', await bearer('hr-nhl'));
    expect(worker.body).toMatchObject({ status: 'exited', exitHeld: null });

    // This year's round of 湖南路街道 in progress: its two cases at the community's recommendation.
    for (let i = 0; i < 300; i++) {
      const round = await request(stack.app)
        .get(`/api/v1/rounds/${roundId}`)
        .set('Authorization', await bearer('auditor-1'));
      expect(round.status).toBe(200);
      if (round.body.members.every((m: { status: string }) => m.status === 'in_review')) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const round = await request(stack.app)
      .get(`/api/v1/rounds/${roundId}`)
      .set('Authorization', await bearer('auditor-1'));
    expect(round.body).toMatchObject({ stage: 'recommendation', orgUnitId: 'hnl', decision: null });
    expect(
      round.body.members.map((m: { workerId: string; status: string; currentStage: { id: string } }) => [
        m.workerId,
        m.status,
        m.currentStage.id,
      ]),
    ).toEqual([
      ['w-mtj-02', 'in_review', 'community-recommendation'],
      ['w-mtj-03', 'in_review', 'community-recommendation'],
    ]);

    expect(await seedDemoCases(stack.temporal.client, stack.taskQueue, stack.db.prisma)).toEqual([]);
    expect(await stack.db.prisma.case.count({ where: { subjectId: subjectId } })).toBe(2);
  });

  test("last year's annual assessment is done: every result confirmed and on the records as the seed had it", async () => {
    const res = await request(stack.app)
      .get(`/api/v1/assessments/${DEMO_ASSESSMENT.id}`)
      .set('Authorization', await bearer('auditor-1'));
    expect(res.status).toBe(200);
    const members = res.body.members as { workerId: string; status: string; outcome: string; recorded: { result: string } | null }[];
    expect(res.body).toMatchObject({ stage: 'closed', year: DEMO_ASSESSMENT.year });
    expect(members.length).toBeGreaterThan(5);
    for (const m of members) expect([m.workerId, m.status, m.recorded?.result]).toEqual([m.workerId, 'completed', m.outcome]);
    expect((res.body.entered as { state: string }[]).every((e) => e.state === 'entered')).toBe(true);
    const history = await request(stack.app)
      .get(`/api/v1/workers/w-${DEMO_ASSESSMENT.community}-03/assessments`)
      .set('Authorization', await bearer('hr-hnl'));
    expect(history.body.items).toEqual([
      expect.objectContaining({ groupId: DEMO_ASSESSMENT.id, year: DEMO_ASSESSMENT.year, status: 'completed' }),
    ]);
  });
});
