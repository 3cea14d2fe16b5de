import type { Store } from '../store';
import type { CaseGroupRow } from '../store/case-groups';

/** The parent workflow of a case group writes the group as it holds it (workflows/case-group.ts). */
export function createCaseGroupActivities({ store }: { store: Pick<Store, 'caseGroups'> }) {
  return {
    async recordCaseGroup(group: CaseGroupRow): Promise<void> {
      await store.caseGroups.record(group);
    },
  };
}
