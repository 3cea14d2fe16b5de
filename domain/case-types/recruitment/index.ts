import type { CaseType } from '../case-type';
import { definition } from './definition';
import { recruitmentEligibility } from './eligibility';

export const recruitment = { definition, previousVersions: [], eligibility: recruitmentEligibility } satisfies CaseType<'recruitment'>;
