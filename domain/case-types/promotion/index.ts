import type { CaseType } from '../case-type';
import { definition } from './definition';
import { definition as v2 } from './versions/v2';
import { definition as v3 } from './versions/v3';
import { promotionEligibility } from './eligibility';

export const promotion = { definition, previousVersions: [v3, v2], eligibility: promotionEligibility } satisfies CaseType<'promotion'>;
