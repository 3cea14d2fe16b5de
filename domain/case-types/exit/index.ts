import type { CaseType } from '../case-type';
import { definition } from './definition';
import { exitEligibility } from './eligibility';

export const exit = { definition, eligibility: exitEligibility } satisfies CaseType<'exit'>;
