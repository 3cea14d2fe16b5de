import type { CaseType } from '../case-type';
import { definition } from './definition';
import { exitEligibility } from './eligibility';

export const exit = { definition, previousVersions: [], eligibility: exitEligibility } satisfies CaseType<'exit'>;
