import { localDate } from '../domain/calendar';
import type { PrismaClient } from '../infra/prisma';
import { createAssignmentActivities } from './assignment';
import { createCalendarActivities } from './calendar';
import { createEligibilityActivities } from './eligibility';
import { createOutcomeActivities } from './outcomes';
import { createProjectionActivities } from './projection';

export interface ActivityDeps {
  prisma: PrismaClient;
  /** Today's date (YYYY-MM-DD, China Standard Time) for eligibility re-checks; tests pin it. */
  today?: () => string;
}

/** Every activity the case workflow calls, built from real dependencies (tests pass real ones too). */
export function createActivities({ prisma, today = () => localDate(new Date()) }: ActivityDeps) {
  return {
    ...createProjectionActivities({ prisma }),
    ...createAssignmentActivities({ prisma }),
    ...createCalendarActivities({ prisma }),
    ...createOutcomeActivities({ prisma }),
    ...createEligibilityActivities({ prisma, today }),
  };
}

export type Activities = ReturnType<typeof createActivities>;
