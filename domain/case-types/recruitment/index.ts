import type { CaseType } from '../case-type';
import { definition } from './definition';
import { definition as v1 } from './versions/v1';
import { recruitmentEligibility } from './eligibility';

export const recruitment = { definition, previousVersions: [v1], eligibility: recruitmentEligibility } satisfies CaseType<'recruitment'>;
