import request from 'supertest';
import { BUILT_IN_RULE_SETS, type RuleSet } from '../domain/rules';
import { bearer } from './helpers/api';
import { useApiStack } from './helpers/stack';

const jiangsu = BUILT_IN_RULE_SETS['jiangsu-2025'] as RuleSet;
// Room for the two people each test proposes in its street's round.
const ruleSet: RuleSet = {
  ...jiangsu,
  promotionRounds: { ...jiangsu.promotionRounds, quotas: { nhl: { kind: 'count', max: 2 }, hnl: { kind: 'count', max: 2 } } },
};

/**
 * Batch approval (批量审批) through the HTTP API against the real Temporal server and PostgreSQL: the community
 * party organisation recommends several promotions of a yearly round with one action; a batch that holds an exit,
 * a later stage or a promotion outside a round is refused whole, naming why, and approves nothing; a case's own
 * refusal is reported beside it.
 */
describe('POST /cases/batch-approval', () => {
  const stack = useApiStack('batch-approval', { ruleSet });
  // Next year's rounds: this year's of the same streets and workers are promotion-rounds.test.ts's, and a round's
  // cases have ids made from its street, year and worker, which the suites' shared Temporal server holds once.
  const year = new Date().getFullYear() + 1;

  /** Opens the street's round with these workers and waits for their cases to be at the community stage. */
  const round = async (clerk: string, streetId: string, workerIds: string[]): Promise<{ id: string }[]> => {
    const opened = await request(stack.app)
      .post('/api/v1/rounds')
      .set('Authorization', await bearer(clerk))
      .send({ streetId, year, members: workerIds.map((workerId) => ({ workerId })) });
    expect([opened.status, opened.status === 201 ? null : opened.body]).toEqual([201, null]);
    const ids = (opened.body.members as { caseId: string }[]).map((m) => m.caseId);
    for (let i = 0; i < 300; i++) {
      const res = await request(stack.app)
        .get(`/api/v1/rounds/${opened.body.id}`)
        .set('Authorization', await bearer('auditor-1'));
      if ((res.body.members as { status: string }[]).every((m) => m.status === 'in_review')) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    return ids.map((id) => ({ id }));
  };

  const batch = async (user: string, body: Record<string, unknown>, key?: string) => {
    const req = request(stack.app)
      .post('/api/v1/cases/batch-approval')
      .set('Authorization', await bearer(user));
    if (key) req.set('Idempotency-Key', key);
    return req.send(body);
  };

  test("a round's promotions recommended at once; an exit, a later stage or a promotion on its own refuses the whole batch", async () => {
    // 江苏路社区: the deputy secretary (w-jsl-02) and a general staff member (w-jsl-03) are both due a regular step.
    const [deputy, staff] = (await round('clerk-nhl', 'nhl', ['w-jsl-02', 'w-jsl-03'])) as [{ id: string }, { id: string }];
    const exit = await stack.drive.submitted('clerk-jsl', 'exit', 'w-jsl-05', {
      reason: 'consecutive-incompetent',
      detail: '2024、2025年度考核均为不合格',
    });

    // An exit is never approved in a batch: the whole batch is refused, naming it, and nothing is approved.
    const withExit = await batch('sec-jsl', { caseIds: [deputy.id, exit.id], comment: '同意推荐' });
    expect(withExit.status).toBe(422);
    expect(withExit.body.errors).toEqual([{ field: 'caseIds.1', message: expect.stringContaining(exit.id) as string }]);
    expect(withExit.body.errors[0].message).toMatch(/never in a batch/);
    expect((await stack.drive.get('sec-jsl', deputy.id)).body.currentStage.id).toBe('community-recommendation');

    // A promotion proposed on its own, outside a round, is recommended on its own too.
    const alone = await stack.drive.submitted('clerk-jyj', 'promotion', 'w-jyj-03', { kind: 'regular' });
    const withAlone = await batch('sec-jyj', { caseIds: [alone.id] });
    expect(withAlone.status).toBe(422);
    expect(withAlone.body.errors).toEqual([{ field: 'caseIds.0', message: expect.stringContaining('outside a yearly round') as string }]);
    expect((await stack.drive.get('sec-jyj', alone.id)).body.currentStage.id).toBe('community-recommendation');

    // Both promotions at the community stage: one action recommends both.
    const both = await batch('sec-jsl', { caseIds: [deputy.id, staff.id], comment: '同意推荐' }, 'batch-1');
    expect(both.status).toBe(200);
    expect(both.body.items.map((i: { caseId: string; approved: boolean }) => [i.caseId, i.approved])).toEqual([
      [deputy.id, true],
      [staff.id, true],
    ]);
    for (const id of [deputy.id, staff.id]) {
      const c = await stack.drive.get('sec-jsl', id);
      expect(c.body.currentStage.id).toBe('street-decision');
      const events = await request(stack.app)
        .get(`/api/v1/cases/${id}/events`)
        .set('Authorization', await bearer('auditor-1'));
      const approvals = events.body.items.filter((e: { action: string }) => e.action === 'approve');
      expect(approvals).toHaveLength(1);
      expect(approvals[0]).toMatchObject({ actorId: 'sec-jsl' });
    }

    // Sent again with the same key: each case was approved once, and the answer is the first one.
    const again = await batch('sec-jsl', { caseIds: [deputy.id, staff.id], comment: '同意推荐' }, 'batch-1');
    expect(again.status).toBe(200);
    expect(again.body.items.map((i: { approved: boolean }) => i.approved)).toEqual([true, true]);

    // Now at the street's collective decision: a stage that is never batched.
    const later = await batch('dgw-nhl-1', { caseIds: [staff.id] });
    expect(later.status).toBe(422);
    expect(later.body.errors[0].message).toMatch(/only the community-recommendation stage/);

    // A case the caller cannot see is answered as one that does not exist.
    expect((await batch('sec-jyj', { caseIds: [staff.id] })).status).toBe(404);
    // The same case twice, or none, is a bad request.
    expect((await batch('sec-jsl', { caseIds: [deputy.id, deputy.id] })).status).toBe(400);
    expect((await batch('sec-jsl', { caseIds: [] })).status).toBe(400);
  });

  test("a case's own refusal is reported beside it without stopping the others", async () => {
    const [second, first] = (await round('clerk-hnl', 'hnl', ['w-mtj-02', 'w-mtj-03'])) as [{ id: string }, { id: string }];
    // The deputy secretary of 马台街社区 is the subject of the second case: recused from it (回避), not from the first.
    const res = await batch('dep-mtj', { caseIds: [first.id, second.id] });
    expect(res.status).toBe(200);
    expect(res.body.items[0]).toMatchObject({ caseId: first.id, approved: true, problem: null });
    expect(res.body.items[1]).toMatchObject({ caseId: second.id, approved: false, case: null, problem: { status: 403 } });
    expect(res.body.items[1].problem.detail).toMatch(/回避/);
    expect((await stack.drive.get('sec-mtj', second.id)).body.currentStage.id).toBe('community-recommendation');
  });
});
