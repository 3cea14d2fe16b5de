import { isCaseTypeName, type CaseTypeName } from '../../domain/case-types';
import type { Json } from '../../domain/history';
import { upgradeRuleSet } from '../../domain/rules';
import type { PrismaClient } from '../../infra/prisma';
import { applyAppeal } from './appeal';
import { applyAssessment } from './assessment';
import { applyCommendation } from './commendation';
import { applyErrorTolerance } from './error-tolerance';
import { applyExit } from './exit';
import { applyNameClearing } from './name-clearing';
import { applyPromotion } from './promotion';
import { applyRecruitment } from './recruitment';
import { applySecondment } from './secondment';
import type { OutcomeApplier, OutcomeInput } from './types';

export type { OutcomeInput } from './types';

/** The effect of each case type on the personnel records, by case type. */
const APPLIERS: Record<CaseTypeName, OutcomeApplier> = {
  promotion: applyPromotion,
  recruitment: applyRecruitment,
  'error-tolerance': applyErrorTolerance,
  'name-clearing': applyNameClearing,
  commendation: applyCommendation,
  exit: applyExit,
  appeal: applyAppeal,
  secondment: applySecondment,
  assessment: applyAssessment,
};

export function createOutcomeActivities({ prisma }: { prisma: PrismaClient }) {
  return {
    async applyOutcome(input: OutcomeInput): Promise<Json> {
      const applier = isCaseTypeName(input.type) ? APPLIERS[input.type] : undefined;
      if (!applier) throw new Error(`no outcome applier for case type "${input.type}"`);
      // A case started before the rules were put right froze a rule set of the first shape.
      const rules = upgradeRuleSet(input.rules);
      return prisma.$transaction((tx) => applier(tx, { ...input, rules }));
    },
  };
}
