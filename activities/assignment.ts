import type { PendingWork, ResolvedAssignees } from '../domain/process/engine';
import type { Store } from '../store';

type ResolveInput = Extract<PendingWork, { kind: 'resolve-assignees' }>;
type CopiesInput = Extract<PendingWork, { kind: 'resolve-copies' }>;

/**
 * Finds who may act on a stage: the active holders of the stage's role in the department of the stage's
 * type, in the area unit at the stage's level above the case's org unit (community → street → county).
 */
export function createAssignmentActivities({ store }: { store: Pick<Store, 'users' | 'orgUnits'> }) {
  return {
    async resolveAssignees(work: ResolveInput): Promise<ResolvedAssignees> {
      if (work.fixedAssignee) {
        const active = await store.users.isActive(work.fixedAssignee);
        return { eligible: active && !work.exclude.includes(work.fixedAssignee) ? [work.fixedAssignee] : [] };
      }
      if (!work.actor) return { eligible: [] };
      const unit = await store.orgUnits.get(work.orgUnitId);
      if (!unit) return { eligible: [] };
      const holders = await store.users.roleHolders({
        role: work.actor.role ?? 'approver',
        departmentType: work.actor.department,
        level: work.actor.level,
        areaIds: unit.path.split('/').filter(Boolean),
      });
      return { eligible: holders.filter((id) => !work.exclude.includes(id)) };
    },

    /** Finds who a decided stage's copies (抄送) go to: the active holders of each role named, as a stage's actors are found. */
    async resolveCopies(work: CopiesInput): Promise<ResolvedAssignees> {
      const unit = await store.orgUnits.get(work.orgUnitId);
      if (!unit) return { eligible: [] };
      const areaIds = unit.path.split('/').filter(Boolean);
      const holders = await Promise.all(
        work.to.map((to) =>
          store.users.roleHolders({ role: to.role ?? 'approver', departmentType: to.department, level: to.level, areaIds }),
        ),
      );
      return { eligible: [...new Set(holders.flat())].filter((id) => !work.exclude.includes(id)).sort() };
    },
  };
}
