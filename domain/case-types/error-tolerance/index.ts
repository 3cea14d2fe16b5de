import type { CaseType } from '../case-type';
import { definition } from './definition';
import { errorToleranceEligibility } from './eligibility';

export const errorTolerance = {
  definition,
  previousVersions: [],
  eligibility: errorToleranceEligibility,
} satisfies CaseType<'error-tolerance'>;
