import type { PendingWork, ResolvedAssignees } from '../domain/process/engine';
import type { PrismaClient } from '../infra/prisma';

type ResolveInput = Extract<PendingWork, { kind: 'resolve-assignees' }>;

/**
 * Finds who may act on a stage: the active holders of the stage's role in the department of the stage's
 * type, in the area unit at the stage's level above the case's org unit (community → street → county).
 */
export function createAssignmentActivities({ prisma }: { prisma: PrismaClient }) {
  return {
    async resolveAssignees(work: ResolveInput): Promise<ResolvedAssignees> {
      if (work.fixedAssignee) {
        const user = await prisma.user.findFirst({ where: { id: work.fixedAssignee, active: true }, select: { id: true } });
        return { eligible: user && !work.exclude.includes(user.id) ? [user.id] : [] };
      }
      if (!work.actor) return { eligible: [] };
      const unit = await prisma.orgUnit.findUnique({ where: { id: work.orgUnitId }, select: { path: true } });
      if (!unit) return { eligible: [] };
      const ancestorIds = unit.path.split('/').filter(Boolean);
      const holders = await prisma.roleAssignment.findMany({
        where: {
          role: work.actor.role ?? 'approver',
          user: { active: true },
          orgUnit: {
            kind: 'department',
            departmentType: work.actor.department,
            parent: { id: { in: ancestorIds }, kind: 'area', level: work.actor.level },
          },
        },
        select: { userId: true },
        orderBy: { userId: 'asc' },
      });
      const eligible = [...new Set(holders.map((h) => h.userId))].filter((id) => !work.exclude.includes(id));
      return { eligible };
    },
  };
}
