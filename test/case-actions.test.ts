import { WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import request from 'supertest';
import { bearer, testApp } from './helpers/api';
import { useApiStack } from './helpers/stack';

/**
 * Who sees a case beyond their subtree: an approver who decided it keeps sight of it after moving to another
 * street, in searches too; someone from that street who never took part still gets 404.
 */
describe('POST /cases/:id/actions', () => {
  const stack = useApiStack('case-actions');

  const listed = async (user: string) =>
    (
      await request(stack.app)
        .get('/api/v1/cases?limit=200')
        .set('Authorization', await bearer(user))
    ).body.items.map((c: { id: string }) => c.id);

  test('an approver who decided a case still sees it after moving to another street; an outsider does not', async () => {
    // A case of 江苏路社区 (宁海路街道); dgw-hnl-1 and dgw-hnl-2 sit on the committee of 湖南路街道.
    const c = await stack.drive.submitted('clerk-jsl', 'promotion', 'w-jsl-03', { kind: 'regular' });
    expect((await stack.drive.get('dgw-hnl-1', c.id)).status).toBe(404);
    await stack.drive.act('sec-jsl', c.id, { action: 'approve', comment: '同意推荐' });
    const approved = await stack.drive.meeting('dgw-nhl-1', c.id);
    expect(approved).toMatchObject({ id: c.id, status: 'public_notice' });

    // dgw-nhl-1 moves to the committee of 湖南路街道: the case lies outside their subtrees now.
    await stack.db.prisma.roleAssignment.updateMany({ where: { userId: 'dgw-nhl-1' }, data: { orgUnitId: 'hnl-dgw' } });
    try {
      const later = await stack.drive.get('dgw-nhl-1', c.id);
      expect(later.status).toBe(200);
      expect(
        (
          await request(stack.app)
            .get(`/api/v1/cases/${c.id}/events`)
            .set('Authorization', await bearer('dgw-nhl-1'))
        ).status,
      ).toBe(200);
      expect(await listed('dgw-hnl-1')).not.toContain(c.id);
      expect(await listed('dgw-nhl-1')).toContain(c.id);
    } finally {
      await stack.db.prisma.roleAssignment.updateMany({ where: { userId: 'dgw-nhl-1' }, data: { orgUnitId: 'nhl-dgw' } });
    }

    // Same street as their new one, same role, never took part: the case does not exist for them.
    expect((await stack.drive.get('dgw-hnl-2', c.id)).status).toBe(404);
    expect(
      (
        await request(stack.app)
          .get(`/api/v1/cases/${c.id}/dossier`)
          .set('Authorization', await bearer('dgw-hnl-2'))
      ).status,
    ).toBe(404);
    expect(await listed('dgw-hnl-2')).not.toContain(c.id);
  });

  test('an Update the worker did not process is sent again with the same Update id', async () => {
    const c = await stack.drive.submitted('clerk-jyj', 'promotion', 'w-jyj-03', { kind: 'regular' });
    // The real client, except that the first action Update is answered as the server answers an Update the
    // worker dropped (sdk-core 1.24 with local activities): nothing happened, send it again.
    const real = stack.temporal.client;
    const updateIds: string[] = [];
    const flaky = {
      withDeadline: real.withDeadline.bind(real),
      withAbortSignal: real.withAbortSignal.bind(real),
      workflow: {
        getHandle(workflowId: string) {
          const handle = real.workflow.getHandle(workflowId);
          return {
            async executeUpdate(...args: Parameters<typeof handle.executeUpdate>) {
              updateIds.push(String(args[1]?.updateId));
              if (updateIds.length === 1) {
                throw new WorkflowUpdateFailedError(
                  'Workflow Update failed',
                  new Error("Update wasn't processed by worker. Probably, Workflow Worker is in trouble."),
                );
              }
              return handle.executeUpdate(...args);
            },
          };
        },
      },
    } as unknown as Client;
    const app = testApp({ prisma: stack.db.prisma, client: flaky, taskQueue: stack.taskQueue });
    const res = await request(app)
      .post(`/api/v1/cases/${c.id}/actions`)
      .set('Authorization', await bearer('sec-jyj'))
      .send({ action: 'approve', comment: '同意推荐' });
    expect(res.status).toBe(200);
    expect(updateIds).toHaveLength(2);
    expect(updateIds[1]).toBe(updateIds[0]);
    expect(await stack.db.prisma.caseEvent.count({ where: { caseId: c.id, action: 'approve' } })).toBe(1);
  });
});
