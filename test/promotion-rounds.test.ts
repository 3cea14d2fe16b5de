import request from 'supertest';
import { BUILT_IN_RULE_SETS, type RuleSet } from '../domain/rules';
import { bearer } from './helpers/api';
import { useApiStack } from './helpers/stack';
import { pendingActivitiesOf } from './helpers/temporal';
import { groupStateQuery } from '../workflows/case-group';
import { stateQuery } from '../workflows/messages';

/**
 * The street's yearly promotion round (年度晋升) through the HTTP API against the real Temporal server and
 * PostgreSQL: a parent workflow with a promotion case per person; the quota refuses a list over it (422 naming
 * the rule and the figures); the community recommends the round's list with one action; the street committee
 * decides the whole list at one meeting, recorded once on the round, which delivers it to each case itself (a case
 * returned for amendment gets it once it is back at the stage); the cases' notices run together; an objection upheld against one person removes that person while the rest go on.
 */
const jiangsu = BUILT_IN_RULE_SETS['jiangsu-2025'] as RuleSet;
const ruleSet: RuleSet = {
  ...jiangsu,
  // A notice of seconds, so the round's cases end within the test.
  periods: { ...jiangsu.periods, 'promotion.notice': { seconds: 120 } },
  promotionRounds: { ...jiangsu.promotionRounds, quotas: { nhl: { kind: 'count', max: 2 }, hnl: { kind: 'count', max: 1 } } },
};

describe('promotion rounds', () => {
  const stack = useApiStack('promotion-rounds', { ruleSet });
  const year = new Date().getFullYear();

  const post = async (user: string, path: string, body: Record<string, unknown>, key?: string) => {
    const req = request(stack.app)
      .post(`/api/v1${path}`)
      .set('Authorization', await bearer(user));
    if (key) req.set('Idempotency-Key', key);
    return req.send(body);
  };
  const get = async (user: string, path: string) =>
    request(stack.app)
      .get(`/api/v1${path}`)
      .set('Authorization', await bearer(user));
  const waitRound = async (id: string, done: (round: { stage: string; members: { status: string }[] }) => boolean) => {
    for (let i = 0; i < 900; i++) {
      const res = await get('auditor-1', `/rounds/${id}`);
      if (res.status === 200 && done(res.body)) return res.body;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(
      `round ${id} did not get there: ${JSON.stringify((await get('auditor-1', `/rounds/${id}`)).body)}; ${await whereItIs(id).catch((err: Error) => `(where it is: ${err.message})`)}`,
    );
  };
  /** Where a round's deliveries and its cases' workflows are, as Temporal holds them (for a failure's message). */
  const whereItIs = async (id: string): Promise<string> => {
    const client = stack.temporal.client;
    const pending = await pendingActivitiesOf(client, id);
    const held = await client.workflow
      .getHandle(id)
      .query(groupStateQuery)
      .catch((err: Error) => err.message);
    const cases = [];
    for (const m of typeof held === 'string' ? [] : held.members) {
      const handle = client.workflow.getHandle(m.caseId);
      const described = await handle.describe();
      const state = await handle.query(stateQuery).catch((err: Error) => err.message);
      const history = await handle.fetchHistory();
      cases.push({
        caseId: m.caseId,
        delivery: m.delivery,
        run: described.status.name,
        pendingWorkflowTask: described.raw.pendingWorkflowTask ?? null,
        state: typeof state === 'string' ? state : { status: state.status, current: state.current, returned: state.returned },
        lastEvents: (history.events ?? []).slice(-12).map((e) => `${String(e.eventId)} ${String(e.eventType)}`),
      });
    }
    return `pending ${JSON.stringify(pending)}; cases ${JSON.stringify(cases)}`;
  };

  test('a round over its quota is refused, naming the rule and the figures', async () => {
    const res = await post('clerk-hnl', '/rounds', {
      streetId: 'hnl',
      year,
      members: [{ workerId: 'w-mtj-02' }, { workerId: 'w-mtj-03' }],
    });
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ rule: 'promotionRounds.quotas.hnl', proposed: 2, limit: 1, eligible: expect.any(Number) });
    expect(res.body.detail).toMatch(/2 proposed, over a quota of 1/);
    // Nothing was opened.
    expect((await get('auditor-1', `/rounds/promotion-round-hnl-${year}`)).status).toBe(404);
    // A worker of another street, or the same worker twice, is a bad request; a community clerk cannot open a round.
    expect((await post('clerk-nhl', '/rounds', { streetId: 'nhl', year, members: [{ workerId: 'w-mtj-03' }] })).status).toBe(400);
    expect(
      (await post('clerk-nhl', '/rounds', { streetId: 'nhl', year, members: [{ workerId: 'w-jsl-03' }, { workerId: 'w-jsl-03' }] })).status,
    ).toBe(400);
    expect((await post('clerk-jsl', '/rounds', { streetId: 'nhl', year, members: [{ workerId: 'w-jsl-03' }] })).status).toBe(403);
  });

  test('one round, one decision, one notice; an objection removes one person and the rest go on', async () => {
    const opened = await post('clerk-nhl', '/rounds', {
      streetId: 'nhl',
      year,
      members: [{ workerId: 'w-jsl-02' }, { workerId: 'w-jsl-03' }],
    });
    expect([opened.status, opened.status === 201 ? null : opened.body]).toEqual([201, null]);
    const round = opened.body;
    expect(round).toMatchObject({ id: `promotion-round-nhl-${year}`, kind: 'promotion-round', orgUnitId: 'nhl', stage: 'recommendation' });
    expect(round.members.map((m: { workerId: string }) => m.workerId)).toEqual(['w-jsl-02', 'w-jsl-03']);
    const [deputy, staff] = round.members as { workerId: string; caseId: string }[];
    await waitRound(round.id, (r) => r.members.every((m) => m.status === 'in_review'));
    // A second round of the street for the year is a conflict.
    expect((await post('clerk-nhl', '/rounds', { streetId: 'nhl', year, members: [{ workerId: 'w-jsl-02' }] })).status).toBe(409);

    // The street committee cannot decide before the communities have recommended the list.
    const early = await post('dgw-nhl-1', `/rounds/${round.id}/decision`, {
      meetingDate: new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10),
      members: [1, 2, 3].map((i) => ({ userId: `dgw-nhl-${i}`, attendance: 'present', vote: 'for' })),
      minutes: '党工委会议纪要',
      resolution: '同意晋升名单',
    });
    expect(early.status).toBe(409);
    expect(early.body.detail).toMatch(/not yet recommended/);

    // The community recommends the round's list with one action.
    const recommended = await post('sec-jsl', `/rounds/${round.id}/recommendation`, { comment: '同意推荐' }, 'round-rec-1');
    expect(recommended.status).toBe(200);
    expect(recommended.body.items.map((i: { approved: boolean }) => i.approved)).toEqual([true, true]);

    // Before the meeting the committee returns one person's case to the clerk for amendment: that case is not at
    // the street's decision when the list is decided, so the first delivery of the decision to it fails.
    const returned = await stack.drive.act('dgw-nhl-2', staff?.caseId as string, {
      action: 'return',
      to: 'applicant',
      comment: '请补充近三年考核材料',
    });
    expect(returned.status).toBe('returned');

    // One meeting decides the list: recorded once on the round, which delivers it to each case itself.
    const meeting = {
      meetingDate: new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10),
      members: [1, 2, 3].map((i) => ({ userId: `dgw-nhl-${i}`, attendance: 'present', vote: 'for' })),
      minutes: '党工委会议纪要：研究2人晋升名单',
      resolution: '同意晋升名单',
    };
    const decided = await post('dgw-nhl-1', `/rounds/${round.id}/decision`, meeting);
    expect(decided.status).toBe(200);
    // The deputy's case has it (or gets it in a moment, on a slow machine); the returned case's first delivery failed.
    expect(decided.body.items[0]).toMatchObject({ caseId: deputy?.caseId, problem: null });
    expect(decided.body.items[1]).toEqual({ caseId: staff?.caseId, recorded: false, pending: true, problem: null });
    expect(decided.body.round).toMatchObject({ stage: 'notice', decision: { meetingDate: meeting.meetingDate, recordedBy: 'dgw-nhl-1' } });
    // Sent again, it records nothing twice and answers as the first.
    const again = await post('dgw-nhl-1', `/rounds/${round.id}/decision`, meeting);
    expect(again.status).toBe(200);
    expect(again.body.round.decision).toEqual(decided.body.round.decision);
    expect((await post('dgw-nhl-1', `/rounds/${round.id}/decision`, { ...meeting, meetingDate: '2099-01-01' })).status).toBe(409);

    // The clerk amends and resubmits: back at the street's decision, the round's next attempt delivers it; nobody
    // sends anything again.
    await stack.drive.act('clerk-nhl', staff?.caseId as string, {
      action: 'resubmit',
      payload: { kind: 'regular' },
      comment: '已补充材料',
    });
    // (The round's retries back off: 1, 2, 4, 8… seconds apart.)
    await waitRound(round.id, (r) => r.members[1]?.status === 'public_notice');
    // Each case's history holds the one meeting, naming the round's decision.
    for (const m of [deputy, staff]) {
      const events = await get('auditor-1', `/cases/${m?.caseId}/events`);
      const meetings = events.body.items.filter((e: { action: string }) => e.action === 'record-meeting');
      expect(meetings).toHaveLength(1);
      expect(meetings[0]).toMatchObject({ actorId: 'dgw-nhl-1', data: { round: `case-groups/${round.id}#decision` } });
    }

    // One 公示 for the round: the public board (no sign-in) shows the list as one notice with its names, each
    // with its own notice id and period; neither name is posted as a notice of its own.
    const names = (round.members as { name: string }[]).map((m) => m.name);
    const board = await request(stack.app).get('/api/v1/public/notices');
    expect(board.status).toBe(200);
    expect(board.body.rounds).toHaveLength(1);
    const [posted] = board.body.rounds;
    expect(posted).toMatchObject({ year, street: expect.stringMatching(/街道/) as string });
    expect(posted.names.map((n: { name: string }) => n.name).sort()).toEqual([...names].sort());
    expect(new Set(posted.names.map((n: { noticeId: string }) => n.noticeId)).size).toBe(2);
    expect(posted.period.start).toBe(posted.names.map((n: { period: { start: string } }) => n.period.start).sort()[0]);
    expect(board.body.items.filter((n: { name: string }) => names.includes(n.name))).toEqual([]);

    // An objection against one person: that case goes to its objection review, upheld it is rejected.
    await stack.drive.act('clerk-jsl', staff?.caseId as string, { action: 'object', comment: '群众反映工作日志不实', channel: 'phone' });
    const resolved = await stack.drive.act('dgw-nhl-2', staff?.caseId as string, {
      action: 'resolve-objection',
      objectionId: 'objection-1',
      resolution: 'upheld',
      effect: 'reject',
      comment: '异议属实，不予晋升',
    });
    expect(resolved.status).toBe('rejected');
    // The round's notice runs on with the rest of the list.
    const after = await request(stack.app).get('/api/v1/public/notices');
    expect(after.body.rounds.flatMap((r: { names: { name: string }[] }) => r.names.map((n) => n.name))).toEqual([names[0]]);

    // The rest go on: the other case ends after its notice, and the round closes once every case has ended.
    const closed = await waitRound(round.id, (r) => r.stage === 'closed');
    expect(closed.members.map((m: { workerId: string; status: string }) => [m.workerId, m.status])).toEqual([
      ['w-jsl-02', 'completed'],
      ['w-jsl-03', 'rejected'],
    ]);

    // The records show each worker's rounds.
    const rounds = await get('hr-nhl', '/workers/w-jsl-03/rounds');
    expect(rounds.status).toBe(200);
    expect(rounds.body.items).toEqual([expect.objectContaining({ groupId: round.id, year, stage: 'closed', caseId: staff?.caseId })]);
    expect((await get('clerk-hnl', '/workers/w-jsl-03/rounds')).status).toBe(404);
  }, 400_000);
});
