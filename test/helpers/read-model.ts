import type { Client } from '@temporalio/client';
import { recordedState } from '../../domain/process/engine';
import type { PrismaClient } from '../../infra/prisma';
import { caseReadModel } from '../../store/projection';
import { stateQuery } from '../../workflows/messages';

/**
 * The read model of a case as PostgreSQL holds it, beside what the projection would write for the workflow's own
 * state (a Query): the two are equal once the projection has converged on the workflow.
 */
export async function readModelAgainstWorkflow(prisma: PrismaClient, client: Client, caseId: string) {
  const state = await client.workflow.getHandle(caseId).query(stateQuery);
  const row = await prisma.case.findUniqueOrThrow({ where: { id: caseId }, include: { assignees: { orderBy: { userId: 'asc' } } } });
  const last = await prisma.caseEvent.findFirstOrThrow({ where: { caseId, seq: row.lastSeq } });
  const expected = caseReadModel(recordedState(state), last.at.toISOString());
  const columns = Object.keys(expected.row) as (keyof typeof expected.row)[];
  return {
    stored: { ...Object.fromEntries(columns.map((c) => [c, row[c]])), assignees: row.assignees.map((a) => a.userId) },
    workflow: { ...expected.row, assignees: [...expected.assignees].sort() },
  };
}
