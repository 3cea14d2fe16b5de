import request from 'supertest';
import { addDays } from '../domain/dates';
import { SCENARIOS } from '../scripts/history-scenarios';
import { bearer } from './helpers/api';
import { TEST_TODAY } from './helpers/env';
import { useApiStack } from './helpers/stack';

/**
 * 委托 through the HTTP API as the seeded users, against the real Temporal server and PostgreSQL: a delegate
 * approves for the approver on leave and the event carries both; the delegation holds only on its days and until
 * revoked; the recusal rules apply to the delegate (someone who decided the original never decides its appeal,
 * also not on someone's behalf). The API's "today" is pinned (TEST_TODAY).
 */
describe('delegation (委托)', () => {
  const stack = useApiStack('delegation');
  const today = TEST_TODAY;

  const delegate = async (by: string, body: Record<string, unknown>) =>
    request(stack.app)
      .post('/api/v1/me/delegations')
      .set('Authorization', await bearer(by))
      .send({ reason: '年休假', ...body });
  const act = async (by: string, caseId: string, body: Record<string, unknown>, onBehalfOf?: string) =>
    request(stack.app)
      .post(`/api/v1/cases/${caseId}/actions${onBehalfOf ? `?onBehalfOf=${onBehalfOf}` : ''}`)
      .set('Authorization', await bearer(by))
      .send(body);
  const get = async (by: string, path: string) =>
    request(stack.app)
      .get(`/api/v1${path}`)
      .set('Authorization', await bearer(by));

  /** Takes each step as its user (on someone's behalf when it says so), waiting while a stage is still opening. */
  async function steps(caseId: string, list: { by: string; onBehalfOf?: string; [k: string]: unknown }[]) {
    for (const { by, onBehalfOf, ...body } of list) {
      const until = Date.now() + 30_000;
      for (;;) {
        const res = await act(by, caseId, body, onBehalfOf);
        if (res.status === 200) break;
        if (res.status !== 409 || Date.now() > until)
          throw new Error(`${by} ${String(body.action)}: ${res.status} ${JSON.stringify(res.body)}`);
        await new Promise((r) => setTimeout(r, 250));
      }
    }
  }

  /** Waits until the case's open stage is assigned (its stage opens after the Update answers). */
  async function assigned(caseId: string, stageId: string) {
    const until = Date.now() + 30_000;
    for (;;) {
      const body = (await stack.drive.get('auditor-1', caseId)).body;
      if (body.currentStage?.id === stageId && body.assignees.length > 0) return body;
      if (Date.now() > until) throw new Error(`stage ${stageId} of ${caseId} never opened: ${JSON.stringify(body)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  // An exit's first stage is decided by one of the street office (办事处: bsc-nhl-1, bsc-nhl-2); its 纪工委 colleagues
  // (jgw-nhl-*) hold an approving role of the same level over the same street, and are not assigned to it.
  const EXIT = { reason: 'dereliction', detail: '失职造成重大损失' };
  const FINDINGS = { action: 'approve', data: { findings: '属实' } };

  test('a delegate approves a stage for the approver on leave: the inbox marks it, the event carries both names', async () => {
    const kase = await stack.drive.submitted('clerk-jyj', 'exit', 'w-jyj-04', EXIT);
    const open = await assigned(kase.id, kase.currentStage.id);
    expect(open.assignees).toEqual(['bsc-nhl-1', 'bsc-nhl-2']);

    // Refused: to oneself, to someone who cannot hold the role, an end before the start.
    expect((await delegate('bsc-nhl-1', { delegateId: 'bsc-nhl-1', from: today, to: today })).body.detail).toBe(
      'you cannot delegate to yourself',
    );
    const outsider = await delegate('bsc-nhl-1', { delegateId: 'dgw-hnl-1', from: today, to: today });
    expect({ status: outsider.status, detail: outsider.body.detail }).toEqual({
      status: 400,
      detail: 'dgw-hnl-1 holds no approving role of the same level over your area, so cannot act in your stead',
    });
    const backwards = await delegate('bsc-nhl-1', { delegateId: 'jgw-nhl-1', from: addDays(today, 3), to: addDays(today, 2) });
    expect(backwards.status).toBe(400);
    expect(backwards.body.errors).toEqual([{ field: 'to', message: expect.stringMatching(/lies before the first day/) }]);

    // bsc-nhl-1 is away today and tomorrow; jgw-nhl-1 acts for them.
    const made = await delegate('bsc-nhl-1', { delegateId: 'jgw-nhl-1', from: today, to: addDays(today, 1), caseTypes: ['exit'] });
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({
      delegatorId: 'bsc-nhl-1',
      delegateId: 'jgw-nhl-1',
      from: today,
      to: addDays(today, 1),
      revokedAt: null,
    });
    // Overlapping another of the same delegator; a chain (the delegate delegating on the same days).
    const overlap = await delegate('bsc-nhl-1', { delegateId: 'jgw-nhl-2', from: addDays(today, 1), to: addDays(today, 5) });
    expect(overlap.status).toBe(409);
    expect(overlap.body.detail).toMatch(`you already delegated to jgw-nhl-1 from ${today} to ${addDays(today, 1)}`);
    const chain = await delegate('jgw-nhl-1', { delegateId: 'jgw-nhl-2', from: today, to: today });
    expect(chain.status).toBe(409);
    expect(chain.body.detail).toMatch(/no chains/);

    const inbox = await get('jgw-nhl-1', '/inbox');
    const item = inbox.body.items.find((i: { id: string }) => i.id === kase.id);
    expect(item?.onBehalfOf).toMatchObject({ id: 'bsc-nhl-1' });
    const view = await get('jgw-nhl-1', `/cases/${kase.id}`);
    expect(view.body.allowedActions).not.toContain('approve');
    expect(view.body.actingFor).toEqual([
      expect.objectContaining({
        userId: 'bsc-nhl-1',
        from: today,
        to: addDays(today, 1),
        allowedActions: expect.arrayContaining(['approve', 'return']),
      }),
    ]);

    // In their own name they are not assigned; on the delegator's behalf they decide.
    expect((await act('jgw-nhl-1', kase.id, FINDINGS)).status).toBe(409);
    const approved = await act('jgw-nhl-1', kase.id, { ...FINDINGS, comment: '同意' }, 'bsc-nhl-1');
    expect(approved.status).toBe(200);
    const events = (await get('auditor-1', `/cases/${kase.id}/events`)).body.items as {
      action: string;
      actorId: string;
      data: Record<string, unknown>;
    }[];
    const decision = events.find((e) => e.action === 'approve');
    expect(decision).toMatchObject({
      actorId: 'bsc-nhl-1',
      data: { findings: '属实', delegate: { userId: 'jgw-nhl-1', name: expect.any(String) } },
    });
    // Both took part: the case is in the delegate's 已办 (what they did for others) as in the delegator's.
    for (const user of ['jgw-nhl-1', 'bsc-nhl-1']) {
      const handled = await get(user, '/cases?mine=handled&limit=100');
      expect(handled.status).toBe(200);
      expect(handled.body.items.map((i: { id: string }) => i.id)).toContain(kase.id);
    }
  });

  test('outside its days, or once revoked, the delegation does not hold: refused naming it', async () => {
    const kase = await stack.drive.submitted('clerk-jyj', 'exit', 'w-jyj-05', EXIT);
    await assigned(kase.id, kase.currentStage.id);

    const later = await delegate('bsc-nhl-2', { delegateId: 'jgw-nhl-2', from: addDays(today, 2), to: addDays(today, 4) });
    expect(later.status).toBe(201);
    const early = await act('jgw-nhl-2', kase.id, FINDINGS, 'bsc-nhl-2');
    expect(early.status).toBe(403);
    expect(early.body.detail).toBe(
      `you cannot act on behalf of bsc-nhl-2: the delegation from bsc-nhl-2 holds from ${addDays(today, 2)} to ${addDays(today, 4)}, not today (${today})`,
    );
    // A scope that leaves the type out does not hold for it either.
    const scoped = await delegate('bsc-nhl-2', { delegateId: 'jgw-nhl-2', from: today, to: today, caseTypes: ['promotion'] });
    expect(scoped.status).toBe(201);
    expect((await act('jgw-nhl-2', kase.id, FINDINGS, 'bsc-nhl-2')).body.detail).toMatch(/does not cover cases of type "exit"/);
    expect((await get('jgw-nhl-2', '/inbox')).body.items.map((i: { id: string }) => i.id)).not.toContain(kase.id);
    const revoke = async (by: string, id: string) =>
      request(stack.app)
        .delete(`/api/v1/me/delegations/${id}`)
        .set('Authorization', await bearer(by));
    expect((await revoke('bsc-nhl-2', scoped.body.id)).status).toBe(200);

    // Holds today for every type; revoked before the delegate acts: refused, and the record stays with its revocation.
    const held = await delegate('bsc-nhl-2', { delegateId: 'jgw-nhl-2', from: today, to: today });
    expect(held.status).toBe(201);
    expect((await get('jgw-nhl-2', '/inbox')).body.items.map((i: { id: string }) => i.id)).toContain(kase.id);
    // The delegate may give it back too; someone else may not touch it.
    expect((await revoke('dgw-nhl-1', held.body.id)).status).toBe(404);
    const revoked = await revoke('jgw-nhl-2', held.body.id);
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({ revokedBy: 'jgw-nhl-2', revokedAt: expect.any(String) });
    const after = await act('jgw-nhl-2', kase.id, FINDINGS, 'bsc-nhl-2');
    expect(after.status).toBe(403);
    expect(after.body.detail).toBe(
      `you cannot act on behalf of bsc-nhl-2: the delegation from bsc-nhl-2 (${today} to ${today}) was revoked`,
    );
    expect((await get('jgw-nhl-2', '/inbox')).body.items.map((i: { id: string }) => i.id)).not.toContain(kase.id);
    const listed = (await get('bsc-nhl-2', '/me/delegations')).body.items as { id: string; revokedAt: string | null }[];
    expect(listed.find((d) => d.id === held.body.id)?.revokedAt).toEqual(expect.any(String));
  });

  test('someone who decided a case on another’s behalf never decides its appeal, also not on someone’s behalf', async () => {
    const scenario = SCENARIOS.exit.find((s) => s.version === undefined) as (typeof SCENARIOS.exit)[number];
    // The exit's first stage (办事处 findings) is decided by 纪工委 colleague jgw-nhl-2 for bsc-nhl-2.
    const onLeave = await delegate('bsc-nhl-2', { delegateId: 'jgw-nhl-2', from: today, to: today });
    expect(onLeave.status).toBe(201);
    const [first, ...rest] = scenario.steps as { by: string; [k: string]: unknown }[];
    const exit = await stack.drive.submitted(scenario.applicantId, 'exit', scenario.subjectId, scenario.payload);
    await steps(exit.id, [{ ...(first as { by: string }), by: 'jgw-nhl-2', onBehalfOf: 'bsc-nhl-2' }, ...rest]);
    await stack.drive.waitFor(exit.id, 'completed');

    // jgw-nhl-2 now also holds a county approving role (组织部), and swb-1 of the county 社会工作部 that hears appeals delegates to them.
    await stack.db.prisma.roleAssignment.create({ data: { userId: 'jgw-nhl-2', role: 'approver', orgUnitId: 'gl-zzb' } });
    expect((await delegate('swb-1', { delegateId: 'jgw-nhl-2', from: today, to: today })).status).toBe(201);
    const appeal = await stack.drive.submitted('clerk-jyj', 'appeal', scenario.subjectId, {
      appealOf: exit.id,
      ground: 'exit',
      reason: '失职情形认定有误',
    });
    const opened = await assigned(appeal.id, (await stack.drive.waitFor(appeal.id, 'in_review')).currentStage.id);
    expect(opened.assignees).toContain('swb-1');
    const refused = await act('jgw-nhl-2', appeal.id, { action: 'approve' }, 'swb-1');
    expect(refused.status).toBe(403);
    expect(refused.body.detail).toMatch(/never decided by the same people \(回避\), also not on behalf of someone/);
    // swb-1 in their own name is not recused.
    expect((await act('swb-1', appeal.id, { action: 'approve' })).status).toBe(200);
  });
});
