import { localDate } from '../domain/calendar';
import type { CaseLimits } from '../domain/process/engine';
import type { RuleSet } from '../domain/rules';
import type { NotificationSettings } from '../infra/config';
import type { PrismaClient } from '../infra/prisma';
import { createStore } from '../store';
import { outboxStore } from '../store/notifications';
import { createAdmissionActivities, type AdmissionDeps } from './admission';
import { createAssignmentActivities } from './assignment';
import { createCalendarActivities } from './calendar';
import { createCaseGroupActivities } from './case-groups';
import { createEligibilityActivities } from './eligibility';
import { createNotificationActivities } from './notifications';
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
  /** Bounds of new cases (CASE_MAX_* in the configuration). */
  limits?: CaseLimits;
  /** New cases continue as new beyond this many events of workflow history (CASE_HISTORY_LIMIT). */
  historyLimit?: number;
  definitionVersion?: AdmissionDeps['definitionVersion'];
  /** How notifications leave (NOTIFY_* in the configuration); default: no SMTP server, https webhooks. */
  notifications?: NotificationSettings;
  /** True once the worker is shutting down (long activities return early; activities/notifications.ts). */
  stopping?: () => boolean;
}

/** The defaults of the configuration (infra/config.ts), for workers built without it (the benchmark's, a test's). */
export const DEFAULT_CASE_LIMITS: CaseLimits = { comments: 200, objections: 20, reminds: 20 };
export const DEFAULT_HISTORY_LIMIT = 10_000;
export const DEFAULT_NOTIFICATION_SETTINGS: NotificationSettings = {
  from: 'community-cases <no-reply@community-cases.invalid>',
  appUrl: 'http://localhost:3000',
  maxAttempts: 8,
  retryBaseMs: 5000,
  retryCapMs: 3_600_000,
  pollMs: 2000,
  leaseMs: 60_000,
  webhookAllowHttp: false,
};

/** Every activity the case workflow calls, built from real dependencies (tests pass real ones too). */
export function createActivities({
  prisma,
  ruleSet,
  today = () => localDate(new Date()),
  limits = DEFAULT_CASE_LIMITS,
  historyLimit = DEFAULT_HISTORY_LIMIT,
  definitionVersion,
  notifications = DEFAULT_NOTIFICATION_SETTINGS,
  stopping,
}: ActivityDeps) {
  // Reads the services make too go through the store; the projection and the outcomes write with Prisma.
  const store = createStore(prisma);
  const assignment = createAssignmentActivities({ store });
  const calendar = createCalendarActivities({ store });
  const eligibility = createEligibilityActivities({ store, today });
  return {
    ...createAdmissionActivities({ store, ruleSet, today, limits, historyLimit, definitionVersion }),
    ...createProjectionActivities({ store }),
    ...assignment,
    ...calendar,
    ...eligibility,
    ...createStageActivities({ ...assignment, ...calendar, ...eligibility }),
    ...createOutcomeActivities({ prisma }),
    ...createRecordsWatchActivities({ store, ruleSet, today }),
    ...createCaseGroupActivities({ store }),
    ...createNotificationActivities({ outbox: outboxStore(prisma), settings: notifications, stopping }),
  };
}

export type Activities = ReturnType<typeof createActivities>;
