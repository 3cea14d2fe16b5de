import type { CaseType } from '../case-type';
import { definition } from './definition';
import { appealEligibility } from './eligibility';

export const appeal = { definition, previousVersions: [], eligibility: appealEligibility } satisfies CaseType<'appeal'>;
