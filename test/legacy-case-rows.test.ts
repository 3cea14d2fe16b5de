import request from 'supertest';
import { recordedState } from '../domain/process/engine';
import { stateQuery } from '../workflows/messages';
import { bearer } from './helpers/api';
import { useApiStack } from './helpers/stack';

/**
 * Case rows projected before the read model had its own shape hold only the engine state of that code. The
 * API answers for such a row exactly as for a row with its read model, and the case's next event gives the
 * row its read model (and drops the old state).
 */
describe('case rows from before the read model', () => {
  const stack = useApiStack('legacy-rows');

  test('are read through the legacy adapter until the next event rewrites them', async () => {
    const c = await stack.drive.submitted('clerk-jsl', 'promotion', 'w-jsl-03', { kind: 'regular' });
    await stack.drive.act('sec-jsl', c.id, { action: 'approve', comment: '同意推荐' });
    const users = ['clerk-jsl', 'sec-jsl', 'dgw-nhl-1', 'auditor-1'];
    const answers = async () => {
      const views = await Promise.all(users.map(async (u) => (await stack.drive.get(u, c.id)).body));
      const dossier = (
        await request(stack.app)
          .get(`/api/v1/cases/${c.id}/dossier`)
          .set('Authorization', await bearer('auditor-1'))
      ).body;
      return { views, dossier };
    };
    const current = await answers();
    expect(current.views[2]).toMatchObject({
      currentStage: { id: 'street-decision' },
      allowedActions: expect.arrayContaining(['record-meeting']),
    });

    // The row as the previous projection wrote it: the engine state with the open stage's id under `key`.
    const { current: open, ...state } = recordedState(await stack.temporal.client.workflow.getHandle(c.id).query(stateQuery));
    const legacy = {
      ...state,
      plan: state.plan.map((s) => ({ ...s, key: s.id })),
      current: open && (({ stageId, ...rest }) => ({ ...rest, key: stageId }))(open),
    };
    await stack.db.prisma.$executeRaw`UPDATE "Case" SET "readModel" = NULL, state = ${JSON.stringify(legacy)}::jsonb WHERE id = ${c.id}`;
    expect(await answers()).toEqual(current);

    await stack.drive.meeting('dgw-nhl-1', c.id);
    const row = await stack.db.prisma.case.findUniqueOrThrow({ where: { id: c.id }, select: { readModel: true, state: true } });
    expect(row).toEqual({
      readModel: expect.objectContaining({ version: 1, stage: expect.objectContaining({ id: 'street-decision' }) }),
      state: null,
    });
  });
});
