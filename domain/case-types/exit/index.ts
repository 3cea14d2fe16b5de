import type { CaseType } from '../case-type';
import { definition } from './definition';
import { definition as v1 } from './versions/v1';
import { exitEligibility } from './eligibility';

export const exit = { definition, previousVersions: [v1], eligibility: exitEligibility } satisfies CaseType<'exit'>;
