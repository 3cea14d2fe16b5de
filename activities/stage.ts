import type { WorkingCalendar } from '../domain/calendar';
import type { EligibilitySummary, PendingWork, ResolvedAssignees } from '../domain/process/engine';
import type { RecheckInput } from './eligibility';

export interface OpenStageInput {
  assignees: Extract<PendingWork, { kind: 'resolve-assignees' }>;
  /** Load the working-day calendar as published now (deadlines of the opening stage count on it). */
  calendar: boolean;
  /** Re-evaluate eligibility now, for a stage that re-checks it as it opens. */
  eligibility: RecheckInput | null;
}

export interface OpenedStage {
  assignees: ResolvedAssignees;
  calendar: WorkingCalendar | null;
  eligibility: EligibilitySummary | null;
}

interface StageDeps {
  resolveAssignees: (work: OpenStageInput['assignees']) => Promise<ResolvedAssignees>;
  loadCalendar: () => Promise<WorkingCalendar>;
  recheckEligibility: (input: RecheckInput) => Promise<EligibilitySummary>;
}

/**
 * Everything a stage needs as it opens, read at once: its assignees, the calendar its deadline counts on, and
 * for a stage that re-checks eligibility the re-evaluation. One activity instead of three, so the workflow
 * wakes once per opening stage instead of three times (bench/).
 */
export function createStageActivities({ resolveAssignees, loadCalendar, recheckEligibility }: StageDeps) {
  return {
    async openStage(input: OpenStageInput): Promise<OpenedStage> {
      const [assignees, calendar, eligibility] = await Promise.all([
        resolveAssignees(input.assignees),
        input.calendar ? loadCalendar() : null,
        input.eligibility ? recheckEligibility(input.eligibility) : null,
      ]);
      return { assignees, calendar, eligibility };
    },
  };
}
