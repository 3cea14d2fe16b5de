import type { CaseType } from '../case-type';
import { definition } from './definition';
import { definition as v2 } from './versions/v2';
import { promotionEligibility } from './eligibility';

export const promotion = { definition, previousVersions: [v2], eligibility: promotionEligibility } satisfies CaseType<'promotion'>;
