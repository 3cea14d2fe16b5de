import type { PrismaClient } from '../infra/prisma';
import { createAssignmentActivities } from './assignment';
import { createEligibilityActivities } from './eligibility';
import { createOutcomeActivities } from './outcomes';
import { createProjectionActivities } from './projection';

export interface ActivityDeps {
  prisma: PrismaClient;
}

/** Every activity the case workflow calls, built from real dependencies (tests pass real ones too). */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createProjectionActivities(deps),
    ...createAssignmentActivities(deps),
    ...createOutcomeActivities(deps),
    ...createEligibilityActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
