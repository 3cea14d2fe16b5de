import type { CaseType } from '../case-type';
import { definition } from './definition';

/** No eligibility rule: every worker of the community in service on 1 January is assessed (the service opens the list). */
export const assessment = { definition, previousVersions: [], eligibility: null } satisfies CaseType<'assessment'>;
