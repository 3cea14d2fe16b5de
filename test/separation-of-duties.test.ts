import request from 'supertest';
import { bearer } from './helpers/api';
import { useApiStack } from './helpers/stack';

/**
 * Separation of duties with the staff directory as it is now: an added approver (加签) or a transfer's target
 * must hold a role that may decide the stage within the case's scope; someone whose role was taken away cannot act
 * on an assignment they still have; community staff act only with their account linked to their own record,
 * and nobody files a case about themselves. Unknown workers and workers outside the caller's records answer alike.
 */
describe('separation of duties', () => {
  const stack = useApiStack('separation-of-duties');
  const roles = (userId: string) => stack.db.prisma.roleAssignment.findMany({ where: { userId } });

  test('an added approver must hold a role that may decide the stage within the case: not an outsider, not an auditor', async () => {
    const c = await stack.drive.submitted('clerk-jsl', 'promotion', 'w-jsl-03', { kind: 'regular' });
    for (const [userId, why] of [
      ['dgw-hnl-1', 'the street committee of another street'],
      ['dgw-nhl-1', 'the committee of the case’s own street, which decides the next stage'],
      ['auditor-1', 'an auditor'],
      ['admin-1', 'an administrator'],
    ]) {
      const refused = await stack.drive.act('sec-jsl', c.id, { action: 'add-approver', userId, position: 'before', comment: why }, 400);
      expect(refused.detail).toBe(`${userId} does not hold a role that may decide stage "community-recommendation" of this case`);
    }
    const unknown = await stack.drive.act('sec-jsl', c.id, { action: 'add-approver', userId: 'nobody', position: 'before' }, 400);
    expect(unknown.errors).toEqual([{ field: 'userId', message: 'unknown user' }]);
    expect((await stack.drive.get('dgw-hnl-1', c.id)).status).toBe(404);
  });

  test('adding a holder of the stage role works: the single leader of the county commission adds a colleague', async () => {
    // Verified by the county discipline commission, which therefore decides the clearance (谁核实谁澄清); a written
    // application states the person's wishes, so no stage asks them again.
    const c = await stack.drive.submitted('clerk-jsl', 'name-clearing', 'w-jsl-10', {
      accusationRef: 'XF-2026-1001',
      findingSummary: '反映问题经核查不属实',
      verifiedBy: 'county-discipline',
      initiatedBy: 'written-application',
      requestedMethod: 'written',
      requestedScope: '本人',
    });
    await stack.drive.act('jw-3', c.id, { action: 'approve', data: { finding: 'untrue' } });
    expect((await stack.drive.get('jw-1', c.id)).body.assignees).toEqual(['jw-1']);
    const added = await stack.drive.act('jw-1', c.id, {
      action: 'add-approver',
      userId: 'jw-2',
      position: 'before',
      comment: '请共同把关',
    });
    expect(added).toMatchObject({ currentStage: { id: 'added-1' }, assignees: ['jw-2'] });
    await stack.drive.act('jw-2', c.id, { action: 'approve' });
    const back = await stack.drive.act('jw-1', c.id, { action: 'approve' });
    expect(back.currentStage.id).toBe('clearance');
  });

  test('someone whose role was taken away cannot act on the assignment they still have', async () => {
    const c = await stack.drive.submitted('clerk-jyj', 'promotion', 'w-jyj-03', { kind: 'regular' });
    expect((await stack.drive.get('sec-jyj', c.id)).body.assignees).toContain('sec-jyj');
    const held = await roles('sec-jyj');
    await stack.db.prisma.roleAssignment.deleteMany({ where: { userId: 'sec-jyj' } });
    try {
      // Without any role the caller may not act on cases at all.
      const none = await stack.drive.act('sec-jyj', c.id, { action: 'approve' }, 403);
      expect(none.detail).toMatch(/^your roles do not include acting on cases/);
      // Moved to the party organisation of another community: still an approver, but not of this case.
      await stack.db.prisma.roleAssignment.create({ data: { userId: 'sec-jyj', role: 'approver', orgUnitId: 'jsl-dzz' } });
      const moved = await stack.drive.act('sec-jyj', c.id, { action: 'approve' }, 403);
      expect(moved.detail).toBe('you no longer hold a role that may decide stage "community-recommendation" of this case');
    } finally {
      await stack.db.prisma.roleAssignment.deleteMany({ where: { userId: 'sec-jyj' } });
      await stack.db.prisma.roleAssignment.createMany({ data: held.map(({ userId, role, orgUnitId }) => ({ userId, role, orgUnitId })) });
    }
    const approved = await stack.drive.act('sec-jyj', c.id, { action: 'approve' });
    expect(approved.currentStage.id).toBe('street-decision');
  });

  test('an applicant who is no longer a clerk over the subject cannot withdraw or resubmit', async () => {
    const c = await stack.drive.submitted('clerk-gyl', 'promotion', 'w-gyl-03', { kind: 'regular' });
    await stack.db.prisma.roleAssignment.updateMany({ where: { userId: 'clerk-gyl', role: 'clerk' }, data: { orgUnitId: 'mtj' } });
    try {
      const refused = await stack.drive.act('clerk-gyl', c.id, { action: 'withdraw' }, 403);
      expect(refused.detail).toBe('you no longer hold the clerk role over this case');
    } finally {
      await stack.db.prisma.roleAssignment.updateMany({ where: { userId: 'clerk-gyl', role: 'clerk' }, data: { orgUnitId: 'gyl' } });
    }
    expect((await stack.drive.act('clerk-gyl', c.id, { action: 'withdraw' })).status).toBe('withdrawn');
  });

  test('a clerk cannot file a case about themselves (their account is linked to their own record)', async () => {
    const own = await stack.drive.submit('clerk-jsl', 'promotion', 'w-jsl-11', { kind: 'regular' });
    expect(own.status).toBe(403);
    expect(own.body.detail).toBe('you cannot submit a case about yourself');
  });

  test('community staff whose account is not linked to their record may neither submit nor act until it is linked', async () => {
    const c = await stack.drive.submitted('clerk-mtj', 'promotion', 'w-mtj-03', { kind: 'regular' });
    await stack.db.prisma.communityWorker.update({ where: { id: 'w-mtj-11' }, data: { userId: null } });
    const submit = await stack.drive.submit('clerk-mtj', 'promotion', 'w-mtj-02', { kind: 'regular' });
    expect(submit.status).toBe(403);
    expect(submit.body.detail).toMatch(/^your account is not linked to your personnel record/);
    await stack.drive.act('clerk-mtj', c.id, { action: 'remind' }, 403);
    // Street staff are not community workers: they need no record.
    await stack.drive.act('sec-mtj', c.id, { action: 'approve' });
    await stack.drive.act('dgw-hnl-3', c.id, { action: 'comment', comment: '已阅' });

    const link = (user: string, worker: string, userId: string) =>
      bearer(user).then((auth) => request(stack.app).put(`/api/v1/workers/${worker}/account`).set('Authorization', auth).send({ userId }));
    expect((await link('clerk-mtj', 'w-mtj-11', 'clerk-mtj')).status).toBe(403); // records are kept by officers
    expect((await link('hr-hnl', 'w-mtj-05', 'sec-mtj')).status).toBe(409); // sec-mtj is linked to w-mtj-01
    expect((await link('hr-hnl', 'w-mtj-01', 'clerk-mtj')).status).toBe(409); // w-mtj-01 is linked to sec-mtj
    const unknownUser = await link('hr-hnl', 'w-mtj-11', 'nobody');
    expect(unknownUser.body.errors).toEqual([{ field: 'userId', message: 'unknown user' }]);
    const linked = await link('hr-hnl', 'w-mtj-11', 'clerk-mtj');
    expect(linked.status).toBe(200);
    expect(linked.body.userId).toBe('clerk-mtj');
    expect((await stack.drive.submit('clerk-mtj', 'promotion', 'w-mtj-02', { kind: 'regular' })).status).toBe(201);
  });

  test('a subject linked after submission is recused from their case all the same', async () => {
    const c = await stack.drive.submitted('clerk-jsl', 'promotion', 'w-jsl-03', { kind: 'regular' });
    await stack.drive.act('sec-jsl', c.id, { action: 'approve' });
    // dgw-nhl-3 turns out to be the subject's own account, linked only now.
    await stack.db.prisma.communityWorker.update({ where: { id: 'w-jsl-03' }, data: { userId: 'dgw-nhl-3' } });
    try {
      const refused = await stack.drive.act('dgw-nhl-3', c.id, { action: 'approve' }, 403);
      expect(refused.detail).toBe('the subject of a case is recused from it (回避)');
    } finally {
      await stack.db.prisma.communityWorker.update({ where: { id: 'w-jsl-03' }, data: { userId: null } });
    }
  });

  test('a worker outside the clerk’s records answers exactly as one that does not exist', async () => {
    const outside = await stack.drive.submit('clerk-jsl', 'promotion', 'w-mtj-03', { kind: 'regular' });
    const unknown = await stack.drive.submit('clerk-jsl', 'promotion', 'w-mtj-99', { kind: 'regular' });
    const shape = (body: { type: string; status: number; detail: string; errors: unknown }) => ({
      ...body,
      detail: body.detail.replace(/"[^"]*"/, '"…"'),
      instance: undefined,
    });
    expect([outside.status, unknown.status]).toEqual([404, 404]);
    expect(shape(outside.body)).toEqual(shape(unknown.body));
    expect(outside.body.errors).toEqual([{ field: 'subjectId', message: 'unknown community worker' }]);
  });
});
