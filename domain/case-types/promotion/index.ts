import type { CaseType } from '../case-type';
import { definition } from './definition';
import { promotionEligibility } from './eligibility';

export const promotion = { definition, previousVersions: [], eligibility: promotionEligibility } satisfies CaseType<'promotion'>;
