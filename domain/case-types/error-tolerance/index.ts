import type { CaseType } from '../case-type';
import { definition } from './definition';
import { definition as v1 } from './versions/v1';
import { definition as v2 } from './versions/v2';
import { errorToleranceEligibility } from './eligibility';

export const errorTolerance = {
  definition,
  previousVersions: [v1, v2],
  eligibility: errorToleranceEligibility,
} satisfies CaseType<'error-tolerance'>;
