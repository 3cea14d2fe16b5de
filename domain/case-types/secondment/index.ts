import type { CaseType } from '../case-type';
import { definition } from './definition';
import { secondmentEligibility } from './eligibility';

export const secondment = { definition, previousVersions: [], eligibility: secondmentEligibility } satisfies CaseType<'secondment'>;
