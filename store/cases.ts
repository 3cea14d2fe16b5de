import { FINAL_STATUSES } from '../domain/process/engine';
import type { PrismaClient } from '../infra/prisma';

/**
 * The case read model (Case, CaseEvent, …) as projected by the activities. The case queries of the API
 * (api/case-queries.ts, api/cases.ts) are to move here, with the visibility rule, as the other stores did.
 */
export function caseStore(db: PrismaClient) {
  return {
    /** Open cases whose current stage is past its due time. */
    async countOverdue(now: Date): Promise<number> {
      return db.case.count({ where: { dueAt: { lt: now }, status: { notIn: [...FINAL_STATUSES] } } });
    },
  };
}

export type CaseStore = ReturnType<typeof caseStore>;
