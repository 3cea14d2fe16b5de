import { localDate } from '../domain/calendar';
import type { RuleSet } from '../domain/rules';
import type { PrismaClient } from '../infra/prisma';
import { createStore } from '../store';
import { createAssignmentActivities } from './assignment';
import { createCalendarActivities } from './calendar';
import { createEligibilityActivities } from './eligibility';
import { createOutcomeActivities } from './outcomes';
import { createProjectionActivities } from './projection';
import { createRecordsWatchActivities } from './records-watch';
import { createStageActivities } from './stage';

export interface ActivityDeps {
  prisma: PrismaClient;
  /** The rule set in force, for the daily records check (cases carry their own). */
  ruleSet: RuleSet;
  /** Today's date (YYYY-MM-DD, China Standard Time) for eligibility re-checks; tests pin it. */
  today?: () => string;
}

/** Every activity the case workflow calls, built from real dependencies (tests pass real ones too). */
export function createActivities({ prisma, ruleSet, today = () => localDate(new Date()) }: ActivityDeps) {
  // Reads the services make too go through the store; the projection and the outcomes write with Prisma.
  const store = createStore(prisma);
  const assignment = createAssignmentActivities({ store });
  const calendar = createCalendarActivities({ store });
  const eligibility = createEligibilityActivities({ store, today });
  return {
    ...createProjectionActivities({ prisma }),
    ...assignment,
    ...calendar,
    ...eligibility,
    ...createStageActivities({ ...assignment, ...calendar, ...eligibility }),
    ...createOutcomeActivities({ prisma }),
    ...createRecordsWatchActivities({ store, ruleSet, today }),
  };
}

export type Activities = ReturnType<typeof createActivities>;
