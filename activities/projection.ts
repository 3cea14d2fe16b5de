import type { ChainedEvent } from '../domain/history';
import { progressOf, type CaseState } from '../domain/process/engine';
import type { Prisma, PrismaClient } from '../infra/prisma';

export interface RecordEventsInput {
  caseId: string;
  events: ChainedEvent[];
  /** Engine state after the last of these events. */
  state: CaseState;
}

/**
 * Projects a batch of case events into PostgreSQL: appends them to the hash-chained history and updates the
 * case row and its assignees, in one transaction. Idempotent: events are keyed by (caseId, seq), and the case
 * row only moves forward, so a retried or replayed activity never duplicates or rewinds anything.
 */
export function createProjectionActivities({ prisma }: { prisma: PrismaClient }) {
  return {
    async recordEvents({ caseId, events, state }: RecordEventsInput): Promise<void> {
      const progress = progressOf(state);
      const row = {
        type: state.type,
        status: progress.status,
        outcome: progress.outcome,
        subjectId: state.subject.id,
        subjectName: state.subject.name,
        orgUnitId: state.subject.orgUnitId,
        orgPath: state.subject.orgPath,
        applicantId: state.applicantId,
        payload: state.payload as Prisma.InputJsonValue,
        definitionVersion: state.definition.version,
        ruleSetId: state.definition.ruleSet.id,
        ruleSetVersion: state.definition.ruleSet.version,
        currentStage: progress.currentStage,
        dueAt: progress.dueAt ? new Date(progress.dueAt) : null,
        state: state as unknown as Prisma.InputJsonValue,
        lastSeq: state.seq,
        lastHash: state.lastHash,
        submittedAt: new Date(state.submittedAt),
        decidedAt: progress.decidedAt ? new Date(progress.decidedAt) : null,
        updatedAt: new Date(events[events.length - 1]?.at ?? state.submittedAt),
      };
      await prisma.$transaction(async (tx) => {
        const locked = await tx.$queryRaw<{ lastSeq: number }[]>`SELECT "lastSeq" FROM "Case" WHERE id = ${caseId} FOR UPDATE`;
        const existing = locked[0];
        if (!existing) await tx.case.create({ data: { id: caseId, ...row } });
        else if (existing.lastSeq < row.lastSeq) await tx.case.update({ where: { id: caseId }, data: row });
        await tx.caseEvent.createMany({
          data: events.map((e) => ({
            caseId: e.caseId,
            seq: e.seq,
            at: new Date(e.at),
            actorId: e.actorId,
            action: e.action,
            fromStatus: e.fromStatus as CaseState['status'] | null,
            toStatus: e.toStatus as CaseState['status'],
            stage: e.stage,
            comment: e.comment,
            data: e.data as Prisma.InputJsonValue,
            prevHash: e.prevHash,
            hash: e.hash,
          })),
          skipDuplicates: true,
        });
        if (!existing || existing.lastSeq < row.lastSeq) {
          await tx.caseAssignee.deleteMany({ where: { caseId } });
          if (progress.assignees.length) {
            await tx.caseAssignee.createMany({ data: progress.assignees.map((userId) => ({ caseId, userId })) });
          }
        }
      });
    },
  };
}
