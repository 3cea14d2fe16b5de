import type { CaseType } from '../case-type';
import { definition } from './definition';

export const nameClearing = { definition, previousVersions: [], eligibility: null } satisfies CaseType<'name-clearing'>;
