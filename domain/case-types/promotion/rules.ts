import { z } from 'zod';
import type { DisciplineKind } from '../../personnel';
import { inferred, workingDays, type CaseTypeRules } from '../../rules/provenance';
import { disciplineKind } from '../../rules/schema-parts';

/** The rule section promotion owns (the grade system itself, `grades`, is shared with the personnel records). */
export interface DisciplineRules {
  /** Disciplinary measures (处分) that block promotion while in force. */
  blocksPromotion: DisciplineKind[];
}

export const disciplineRulesSchema = z.strictObject({ blocksPromotion: z.array(disciplineKind) });

/** Promotion's values in the Jiangsu rules, with their sources (docs/policy.md). */
export const promotionRules: CaseTypeRules<{ discipline: DisciplineRules }> = {
  periods: {
    'promotion.communityRecommendation': { period: workingDays(5), provenance: inferred('No sourced limit.') },
    'promotion.streetDecision': { period: workingDays(10), provenance: inferred('No sourced limit for the street decision.') },
    'promotion.notice': {
      period: workingDays(5),
      provenance: inferred('No Jiangsu source for a promotion 公示; many cities use 5 working days.'),
    },
  },
  discipline: {
    blocksPromotion: ['warning', 'demerit', 'major_demerit', 'demotion', 'dismissal_probation'],
  },
  provenance: {
    'discipline.blocksPromotion': inferred('Every kind of 处分 blocks promotion while in force.'),
  },
};
