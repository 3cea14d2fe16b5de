import type { CaseType } from '../case-type';
import { definition } from './definition';
import { commendationEligibility } from './eligibility';

export const commendation = { definition, previousVersions: [], eligibility: commendationEligibility } satisfies CaseType<'commendation'>;
