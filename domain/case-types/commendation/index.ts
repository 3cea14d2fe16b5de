import type { CaseType } from '../case-type';
import { definition } from './definition';
import { definition as v1 } from './versions/v1';
import { commendationEligibility } from './eligibility';

export const commendation = { definition, previousVersions: [v1], eligibility: commendationEligibility } satisfies CaseType<'commendation'>;
