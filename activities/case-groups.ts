import type { AssessmentEntry, CaseGroupMemberState } from '../domain/case-groups';
import type { Store } from '../store';
import type { CaseGroupRow } from '../store/case-groups';

/** The parent workflow of a case group writes the group as it holds it (workflows/case-group.ts). */
export function createCaseGroupActivities({ store }: { store: Pick<Store, 'caseGroups' | 'assessments'> }) {
  return {
    /** An annual assessment's review period is over: each member's result enters the records, or is held by its review. */
    async enterAssessmentResults(input: { groupId: string; year: number; members: CaseGroupMemberState[] }): Promise<AssessmentEntry[]> {
      return store.assessments.enter(input.year, input.members);
    },
    async recordCaseGroup(group: CaseGroupRow): Promise<void> {
      await store.caseGroups.record(group);
    },
  };
}
