import type { CaseType } from '../case-type';
import { definition } from './definition';
import { definition as v1 } from './versions/v1';

export const nameClearing = { definition, previousVersions: [v1], eligibility: null } satisfies CaseType<'name-clearing'>;
