import type { AssessmentProgress, CaseGroupDecision, CaseGroupKind, CaseGroupStage, CaseGroupState } from '../domain/case-groups';
import { Prisma, type PrismaClient } from '../infra/prisma';

/** Case groups (a round, an assessment) as their parent workflow records them, and who is in which. */

/** The group as its parent workflow holds it (less how each member's case ended, which the cases' rows say), and who opened it. */
export type CaseGroupRow = Omit<CaseGroupState, 'members'> & { openedBy: string; members: { workerId: string; caseId: string }[] };

const toRow = (g: {
  id: string;
  kind: string;
  orgUnitId: string;
  year: number;
  stage: string;
  decision: Prisma.JsonValue;
  progress: Prisma.JsonValue;
  openedBy: string;
  members: { workerId: string; caseId: string }[];
}): CaseGroupRow => ({
  groupId: g.id,
  kind: g.kind as CaseGroupKind,
  orgUnitId: g.orgUnitId,
  year: g.year,
  stage: g.stage as CaseGroupStage,
  decision: g.decision as unknown as CaseGroupDecision | null,
  ...(g.progress === null ? {} : { assessment: g.progress as unknown as AssessmentProgress }),
  openedBy: g.openedBy,
  members: g.members.map((m) => ({ workerId: m.workerId, caseId: m.caseId })).sort((a, b) => a.workerId.localeCompare(b.workerId)),
});

export function caseGroupStore(db: PrismaClient) {
  return {
    /** Writes the group as its workflow holds it: the same content again changes nothing (an activity's retry). */
    async record(g: CaseGroupRow): Promise<void> {
      const fields = {
        stage: g.stage,
        decision: g.decision === null ? Prisma.JsonNull : (g.decision as unknown as Prisma.InputJsonValue),
        ...(g.assessment ? { progress: g.assessment as unknown as Prisma.InputJsonValue } : {}),
      };
      await db.$transaction(async (tx) => {
        await tx.caseGroup.upsert({
          where: { id: g.groupId },
          create: { id: g.groupId, kind: g.kind, orgUnitId: g.orgUnitId, year: g.year, openedBy: g.openedBy, ...fields },
          update: fields,
        });
        await tx.caseGroupMember.createMany({
          data: g.members.map((m) => ({ groupId: g.groupId, workerId: m.workerId, caseId: m.caseId })),
          skipDuplicates: true,
        });
      });
    },

    async get(groupId: string): Promise<CaseGroupRow | null> {
      const g = await db.caseGroup.findUnique({ where: { id: groupId }, include: { members: true } });
      return g ? toRow(g) : null;
    },

    /** The groups of a kind a worker was a member of, newest year first. */
    async ofWorker(workerId: string, kind: CaseGroupKind): Promise<(Omit<CaseGroupRow, 'members'> & { caseId: string })[]> {
      const rows = await db.caseGroupMember.findMany({ where: { workerId, group: { kind } }, include: { group: true } });
      return rows
        .map((m) => ({ ...toRow({ ...m.group, members: [] }), caseId: m.caseId }))
        .map(({ members: _members, ...rest }) => rest)
        .sort((a, b) => b.year - a.year || a.groupId.localeCompare(b.groupId));
    },
  };
}
