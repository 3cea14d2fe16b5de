import { SCORES_PER_WORKER_MAX, groupStateQuery } from '../workflows/case-group';
import request from 'supertest';
import { BUILT_IN_RULE_SETS, type RuleSet } from '../domain/rules';
import { bearer } from './helpers/api';
import { useApiStack } from './helpers/stack';
import { pendingActivitiesOf } from './helpers/temporal';

/**
 * The annual assessment (年度考核) of a community through the HTTP API as the seeded users, against the real
 * Temporal server and PostgreSQL: a case group with an assessment case per worker; 述职 and 民主测评 (scores with who
 * gave them); the evaluation group's proposal refused over the 优秀 cap and without a reason for a weak result
 * (422 naming the rule and the figures); the street's confirmation; the written notice and its review period; a
 * review asked for in time opens an appeal and holds that worker's result off the records while the others enter
 * them when the period ends; a review asked for late is refused naming the period's end; the review upheld, the
 * street's corrected result enters as a new row, and the assessment case's history is unchanged.
 */
const jiangsu = BUILT_IN_RULE_SETS['jiangsu-2025'] as RuleSet;
// A review period of seconds, so it ends within the test.
const REVIEW_SECONDS = 45;
const ruleSet: RuleSet = { ...jiangsu, periods: { ...jiangsu.periods, 'assessment.review': { seconds: REVIEW_SECONDS } } };

type Member = {
  workerId: string;
  caseId: string;
  status: string;
  currentStage: { id: string } | null;
  recorded: { result: string } | null;
};
type Item = { workerId: string; recorded: boolean; pending?: boolean; problem: { detail: string } | null };
type Assessment = {
  id: string;
  stage: string;
  members: Member[];
  entered: { workerId: string; state: string; appealCaseId: string | null }[] | null;
};

describe('annual assessment', () => {
  const stack = useApiStack('annual-assessment', { ruleSet });
  const year = new Date().getFullYear();
  const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);

  const post = async (user: string, path: string, body: Record<string, unknown>) =>
    request(stack.app)
      .post(`/api/v1${path}`)
      .set('Authorization', await bearer(user))
      .send(body);
  const get = async (user: string, path: string) =>
    request(stack.app)
      .get(`/api/v1${path}`)
      .set('Authorization', await bearer(user));
  const waitFor = async (id: string, done: (a: Assessment) => boolean, seconds = 90): Promise<Assessment> => {
    const until = Date.now() + seconds * 1000;
    for (;;) {
      const res = await get('auditor-1', `/assessments/${id}`);
      if (res.status === 200 && done(res.body)) return res.body;
      if (Date.now() > until) {
        // Where the group's deliveries are, as its workflow holds them (not on the group's row).
        const held = await stack.temporal.client.workflow
          .getHandle(id)
          .query(groupStateQuery)
          .catch((err: Error) => err.message);
        const steps = typeof held === 'string' ? held : held.members.map((m) => [m.workerId, m.steps ?? null]);
        const pending = await pendingActivitiesOf(stack.temporal.client, id);
        throw new Error(
          `assessment ${id} did not get there: ${JSON.stringify(res.body)}; deliveries ${JSON.stringify(steps)}; pending ${JSON.stringify(pending)}`,
        );
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  };
  /** Takes each step of a case as its user, waiting while the stage is still opening. */
  async function steps(caseId: string, list: { by: string; [k: string]: unknown }[]) {
    for (const { by, ...body } of list) {
      const until = Date.now() + 30_000;
      for (;;) {
        const res = await post(by, `/cases/${caseId}/actions`, body);
        if (res.status === 200) break;
        if (res.status !== 409 || Date.now() > until)
          throw new Error(`${by} ${String(body.action)}: ${res.status} ${JSON.stringify(res.body)}`);
        await new Promise((r) => setTimeout(r, 250));
      }
    }
  }

  test('the case types list the assessment with its payload schema', async () => {
    const res = await get('clerk-jsl', '/case-types');
    expect(res.status).toBe(200);
    const type = (res.body.items as { type: string; payloadSchema: { properties: Record<string, unknown> } }[]).find(
      (t) => t.type === 'assessment',
    );
    expect(Object.keys(type?.payloadSchema.properties ?? {})).toEqual(['year']);
  });

  test('a community’s year from 述职 to the records: the cap, the reasons, the review period and an upheld review', async () => {
    // Only a clerk of the community (or above) opens it; an unknown community is a bad request.
    expect((await post('clerk-jyj', '/assessments', { communityId: 'jsl', year })).status).toBe(403);
    expect((await post('clerk-jsl', '/assessments', { communityId: 'nope', year })).status).toBe(400);
    const opened = await post('clerk-jsl', '/assessments', { communityId: 'jsl', year });
    expect([opened.status, opened.status === 201 ? null : opened.body]).toEqual([201, null]);
    const id = opened.body.id as string;
    expect(opened.body).toMatchObject({ id: `annual-assessment-jsl-${year}`, kind: 'annual-assessment', stage: 'evaluation' });
    const workers = (opened.body.members as Member[]).map((m) => m.workerId);
    expect(workers).toEqual(expect.arrayContaining(['w-jsl-01', 'w-jsl-02', 'w-jsl-03', 'w-jsl-04', 'w-jsl-05', 'w-jsl-11']));
    expect((await post('clerk-jsl', '/assessments', { communityId: 'jsl', year })).status).toBe(409);
    await waitFor(id, (a) => a.members.every((m) => m.currentStage?.id === 'self-report'));

    // 述职, taken by the community party organisation: the secretary's own by the deputy (recused from their own case).
    const by = (workerId: string) => (workerId === 'w-jsl-01' ? 'dep-jsl' : 'sec-jsl');
    for (const w of workers) {
      const res = await post(by(w), `/assessments/${id}/self-reports`, { workerId: w, report: `${w} 年度述职报告` });
      expect([w, res.status]).toEqual([w, 200]);
    }
    // 民主测评: each score with who gave it, recorded by the clerk from the sheets.
    for (const w of workers) {
      const res = await post('clerk-jsl', `/assessments/${id}/scores`, {
        workerId: w,
        scores: [
          { evaluator: '居民代表 甲', group: 'residents', score: 90 },
          { evaluator: '居民代表 乙', group: 'residents', score: 80 },
          { evaluator: '同事 丙', group: 'colleagues', score: 88 },
        ],
      });
      expect([w, res.status]).toEqual([w, 200]);
    }
    // Each call is bounded, and so is their sum per worker: past it, 400 naming the limit, nothing recorded.
    const sheet = Array.from({ length: SCORES_PER_WORKER_MAX - 2 }, (_, n) => ({ evaluator: `同事 ${n}`, group: 'colleagues', score: 80 }));
    const overflow = await post('clerk-jsl', `/assessments/${id}/scores`, { workerId: 'w-jsl-03', scores: sheet });
    expect([overflow.status, overflow.body.detail]).toEqual([400, expect.stringContaining(`at most ${SCORES_PER_WORKER_MAX} in all`)]);
    const scored = await waitFor(id, (a) => a.members.every((m) => m.currentStage?.id === 'evaluation'));
    expect(scored.members.find((m) => m.workerId === 'w-jsl-03')).toMatchObject({
      evaluationScore: 86.5,
      scores: [expect.anything(), expect.anything(), expect.anything()],
    });
    expect(scored.members.find((m) => m.workerId === 'w-jsl-03')).toMatchObject({
      scores: expect.arrayContaining([
        expect.objectContaining({ evaluator: '居民代表 甲', group: 'residents', score: 90, recordedBy: 'clerk-jsl' }),
      ]),
    });

    const proposal = (results: Record<string, { result: string; reason?: string }>) => ({
      results: workers.map((w) => ({ workerId: w, ...(results[w] ?? { result: 'competent' }) })),
    });
    // Over the 优秀 cap (a fifth of those assessed): refused, naming the rule and the figures; nothing recorded.
    const limit = Math.floor(workers.length / 5);
    const tooMany = Object.fromEntries(workers.slice(0, limit + 1).map((w) => [w, { result: 'excellent' }]));
    const capped = await post('sec-jsl', `/assessments/${id}/proposal`, proposal(tooMany));
    expect(capped.status).toBe(422);
    expect(capped.body).toMatchObject({ rule: 'annualAssessment.excellentShare', excellent: limit + 1, assessed: workers.length });
    expect(capped.body.detail).toContain(`at most ${limit}`);
    // 基本合格 without a written reason: refused, naming the worker.
    const unreasoned = await post('sec-jsl', `/assessments/${id}/proposal`, proposal({ 'w-jsl-04': { result: 'basically_competent' } }));
    expect(unreasoned.status).toBe(422);
    expect(unreasoned.body).toMatchObject({ rule: 'annualAssessment.reasonRequired', missingReason: ['w-jsl-04'] });
    expect((await get('auditor-1', `/assessments/${id}`)).body.proposal).toBeNull();

    // The list within the rules, recorded once on the group, which delivers it to each case: the secretary's own
    // case refuses him (回避), and takes it from the deputy, who sends it again.
    const results = {
      'w-jsl-03': { result: 'excellent' },
      'w-jsl-04': { result: 'basically_competent', reason: '全年考勤缺勤较多，群众满意度偏低' },
    };
    const first = await post('sec-jsl', `/assessments/${id}/proposal`, proposal(results));
    expect(first.status).toBe(200);
    expect(first.body.items.find((i: Item) => i.workerId === 'w-jsl-01')).toMatchObject({ recorded: false });
    expect(first.body.items.filter((i: Item) => i.problem !== null).map((i: Item) => i.workerId)).toEqual(
      first.body.items.some((i: Item) => i.workerId === 'w-jsl-01' && i.pending) ? [] : ['w-jsl-01'],
    );
    const second = await post('dep-jsl', `/assessments/${id}/proposal`, proposal(results));
    expect(second.status).toBe(200);
    // A different list after it is a conflict.
    expect((await post('dep-jsl', `/assessments/${id}/proposal`, proposal({}))).status).toBe(409);
    await waitFor(id, (a) => a.stage === 'confirmation' && a.members.every((m) => m.currentStage?.id === 'street-confirmation'));

    // The street party committee confirms; each worker is told; the review period starts.
    const confirmed = await post('dgw-nhl-1', `/assessments/${id}/confirmation`, { comment: '同意考核等次' });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.items.every((i: Item) => i.recorded || i.pending)).toBe(true);
    await waitFor(id, (a) => a.members.every((m) => m.currentStage?.id === 'notification'));
    const told = await post('sec-jsl', `/assessments/${id}/notification`, {});
    expect(told.status).toBe(200);
    const { reviewEndsAt } = told.body.assessment.notification as { reviewEndsAt: string };
    await post('dep-jsl', `/assessments/${id}/notification`, {});
    const notified = await waitFor(id, (a) => a.stage === 'review' && a.members.every((m) => m.status === 'completed'));
    expect(notified.members.find((m) => m.workerId === 'w-jsl-03')).toMatchObject({ outcome: 'excellent', recorded: null });

    // A review asked for in time: an appeal linked to the worker's assessment case.
    const assessed = notified.members.find((m) => m.workerId === 'w-jsl-04') as Member;
    const historyBefore = (await get('auditor-1', `/cases/${assessed.caseId}`)).body.lastSeq as number;
    const review = await post('clerk-jsl', `/assessments/${id}/reviews`, { workerId: 'w-jsl-04', reason: '缺勤系因公借调，考勤有误' });
    expect([review.status, review.status === 201 ? null : review.body]).toEqual([201, null]);
    expect(review.body).toMatchObject({ type: 'appeal', payload: { appealOf: assessed.caseId, ground: 'assessment' } });
    const appealId = review.body.id as string;

    // When the period is over the others' results enter the records; the reviewed one is held.
    const closed = await waitFor(id, (a) => a.stage === 'closed', REVIEW_SECONDS + 60);
    expect(Date.now()).toBeGreaterThan(Date.parse(reviewEndsAt));
    expect(closed.entered?.find((e) => e.workerId === 'w-jsl-04')).toMatchObject({ state: 'held', appealCaseId: appealId });
    expect(closed.entered?.filter((e) => e.state === 'entered')).toHaveLength(workers.length - 1);
    const record03 = (await get('hr-nhl', '/workers/w-jsl-03')).body as { assessments: { year: number; result: string }[] };
    expect(record03.assessments).toContainEqual({ year, result: 'excellent' });
    const held = (await get('hr-nhl', '/workers/w-jsl-04')).body as { assessments: { year: number }[] };
    expect(held.assessments.filter((a) => a.year === year)).toEqual([]);

    // A review asked for after the period: refused, naming its end.
    const late = await post('clerk-jsl', `/assessments/${id}/reviews`, { workerId: 'w-jsl-05', reason: '对合格等次有异议' });
    expect(late.status).toBe(422);
    expect(late.body).toMatchObject({ rule: 'periods.assessment.review', periodEnd: reviewEndsAt });
    expect(late.body.detail).toContain(reviewEndsAt);

    // A correction before the review is decided is refused: the result is not set aside yet.
    expect((await post('dgw-nhl-1', `/assessments/${id}/corrections`, { workerId: 'w-jsl-04', result: 'competent' })).status).toBe(409);
    // The county upholds the review; the street decides the result again: a new row naming the review.
    await steps(appealId, [
      { by: 'swb-1', action: 'approve' },
      { by: 'swb-1', action: 'approve', data: { heardOn: today, statement: '本人陈述借调期间考勤情况' } },
      { by: 'swb-2', action: 'approve', data: { result: 'upheld', reasoning: '借调期间考勤应由借调单位认定' } },
      { by: 'swb-2', action: 'approve', data: { repliedOn: today, replyRef: '鼓社工复〔2026〕3号' } },
    ]);
    await stack.drive.waitFor(appealId, 'completed');
    expect((await post('sec-jsl', `/assessments/${id}/corrections`, { workerId: 'w-jsl-04', result: 'competent' })).status).toBe(403);
    const corrected = await post('dgw-nhl-1', `/assessments/${id}/corrections`, { workerId: 'w-jsl-04', result: 'competent' });
    expect([corrected.status, corrected.body]).toEqual([
      200,
      { workerId: 'w-jsl-04', year, result: 'competent', appealCaseId: appealId, recordedBy: `appeal:${appealId}:dgw-nhl-1` },
    ]);
    const after = (await get('hr-nhl', '/workers/w-jsl-04')).body as { assessments: { year: number; result: string }[] };
    expect(after.assessments.filter((a) => a.year === year)).toEqual([{ year, result: 'competent' }]);
    // The assessment case's history is as it was; it shows the appeal.
    const original = (await get('auditor-1', `/cases/${assessed.caseId}`)).body as { lastSeq: number; outcome: string; appeals: unknown[] };
    expect(original).toMatchObject({ lastSeq: historyBefore, outcome: 'basically_competent' });
    expect(original.appeals).toEqual([{ id: appealId, status: 'completed', outcome: 'upheld' }]);

    // The records API: each worker's assessment history.
    const history = await get('hr-nhl', '/workers/w-jsl-04/assessments');
    expect(history.status).toBe(200);
    expect(history.body.items).toEqual([
      expect.objectContaining({
        groupId: id,
        year,
        caseId: assessed.caseId,
        confirmed: 'basically_competent',
        reviewEndsAt,
        recorded: { result: 'competent', recordedBy: `appeal:${appealId}:dgw-nhl-1` },
      }),
    ]);
    expect((await get('clerk-jyj', '/workers/w-jsl-04/assessments')).status).toBe(404);
  });
  test('each step reaches every case, also one that gets to its stage later, and a step sent again records nothing twice', async () => {
    // A year no other suite uses: the group's id (and its cases') is the community and the year.
    const year2 = 2097;
    const opened = await post('clerk-jsl', '/assessments', { communityId: 'jsl', year: year2 });
    expect([opened.status, opened.status === 201 ? null : opened.body]).toEqual([201, null]);
    const id = opened.body.id as string;
    const workers = (opened.body.members as Member[]).map((m) => m.workerId);
    const caseOf = (w: string) => (opened.body.members as Member[]).find((m) => m.workerId === w)?.caseId as string;
    await waitFor(id, (a) => a.members.every((m) => m.currentStage?.id === 'self-report'));
    const by = (workerId: string) => (workerId === 'w-jsl-01' ? 'dep-jsl' : 'sec-jsl');
    // Every 述职 but w-jsl-03's is in when the list is proposed.
    const late = 'w-jsl-03';
    for (const w of workers.filter((x) => x !== late))
      expect((await post(by(w), `/assessments/${id}/self-reports`, { workerId: w, report: `${w} ${year2}年度述职` })).status).toBe(200);
    for (const w of workers) {
      const res = await post('clerk-jsl', `/assessments/${id}/scores`, {
        workerId: w,
        scores: [{ evaluator: '居民代表 甲', group: 'residents', score: 84 }],
      });
      expect([w, res.status]).toEqual([w, 200]);
    }
    const list = { results: workers.map((w) => ({ workerId: w, result: 'competent' })) };
    // Only the community's evaluation group sends the list (the street's committee does not): nothing recorded.
    expect((await post('dgw-nhl-1', `/assessments/${id}/proposal`, list)).status).toBe(403);
    expect((await get('auditor-1', `/assessments/${id}`)).body.proposal).toBeNull();
    const proposed = await post('dep-jsl', `/assessments/${id}/proposal`, list);
    expect(proposed.status).toBe(200);
    // The late worker's case is still at its 述职: its step waits for it (pending), nothing refused. The deputy's
    // own case (w-jsl-02) refuses him (回避), and takes the list when the secretary sends it again.
    expect(proposed.body.items.find((i: Item) => i.workerId === late)).toMatchObject({ recorded: false, pending: true, problem: null });
    expect(proposed.body.items.find((i: Item) => i.workerId === 'w-jsl-02')).toMatchObject({ recorded: false });
    expect((await post('sec-jsl', `/assessments/${id}/proposal`, list)).status).toBe(200);
    await waitFor(id, (a) => a.members.filter((m) => m.workerId !== late).every((m) => m.currentStage?.id === 'street-confirmation'));
    const lateCase = (await get('auditor-1', `/cases/${caseOf(late)}`)).body as { currentStage: { id: string } | null };
    expect(lateCase.currentStage?.id).toBe('self-report');

    // The 述职 comes in: the tally and the proposed result follow it into the case.
    expect((await post('sec-jsl', `/assessments/${id}/self-reports`, { workerId: late, report: '补交述职' })).status).toBe(200);
    await waitFor(id, (a) => a.members.every((m) => m.currentStage?.id === 'street-confirmation'), 150);
    type Event = { action: string; stage: string | null; actorId: string | null; data: Record<string, unknown> | null };
    const events = async (w: string) => (await get('auditor-1', `/cases/${caseOf(w)}/events`)).body.items as Event[];
    const at = (list: Event[], stage: string) => list.filter((e) => e.action === 'approve' && e.stage === stage);
    expect(at(await events('w-jsl-02'), 'proposal')).toEqual([expect.objectContaining({ actorId: 'sec-jsl' })]);
    expect(at(await events(late), 'evaluation')).toEqual([
      expect.objectContaining({
        actorId: 'dep-jsl',
        data: expect.objectContaining({ score: 84, evaluators: 1, scoresRef: `case-groups/${id}#scores/${late}` }),
      }),
    ]);
    expect(at(await events(late), 'proposal')).toEqual([
      expect.objectContaining({ data: expect.objectContaining({ result: 'competent' }) }),
    ]);

    // The same list sent again (by the same member, or another): nothing more in any case.
    const seqs = async () =>
      Object.fromEntries(
        await Promise.all(workers.map(async (w) => [w, (await get('auditor-1', `/cases/${caseOf(w)}`)).body.lastSeq as number])),
      );
    const before = await seqs();
    expect((await post('dep-jsl', `/assessments/${id}/proposal`, list)).status).toBe(200);
    expect((await post('sec-jsl', `/assessments/${id}/proposal`, list)).status).toBe(200);
    expect(await seqs()).toEqual(before);
    // The street confirms, twice (only its party committee may): each case has one confirmation.
    expect((await post('clerk-jsl', `/assessments/${id}/confirmation`, {})).status).toBe(403);
    expect((await post('dgw-nhl-1', `/assessments/${id}/confirmation`, { comment: '同意' })).status).toBe(200);
    expect((await post('dgw-nhl-1', `/assessments/${id}/confirmation`, { comment: '同意' })).status).toBe(200);
    const confirmed = await waitFor(id, (a) => a.members.every((m) => m.currentStage?.id === 'notification'));
    expect(confirmed.stage).toBe('confirmation');
    for (const w of workers) expect([w, at(await events(w), 'street-confirmation').map((e) => e.actorId)]).toEqual([w, ['dgw-nhl-1']]);

    // The notice, sent by the secretary and again by the deputy (the secretary's own case refuses him): every case is told.
    const told = await post('sec-jsl', `/assessments/${id}/notification`, {});
    expect(told.status).toBe(200);
    expect(told.body.items.find((i: Item) => i.workerId === 'w-jsl-01')).toMatchObject({ recorded: false });
    expect((await post('dep-jsl', `/assessments/${id}/notification`, {})).status).toBe(200);
    const done = await waitFor(id, (a) => a.stage === 'review' && a.members.every((m) => m.status === 'completed'));
    expect(done.members.map((m) => [m.workerId, m.status])).toEqual(workers.map((w) => [w, 'completed']));
  }, 400_000);
});
