import type { Json } from '../../domain/history';
import type { PrismaClient } from '../../infra/prisma';
import { applyPromotion } from './promotion';
import type { OutcomeApplier, OutcomeInput } from './types';

export type { OutcomeInput } from './types';

/** The effect of each case type on the records, by case type. */
const APPLIERS: Record<string, OutcomeApplier> = {
  promotion: applyPromotion,
};

export function createOutcomeActivities({ prisma }: { prisma: PrismaClient }) {
  return {
    async applyOutcome(input: OutcomeInput): Promise<Json> {
      const applier = APPLIERS[input.type];
      if (!applier) throw new Error(`no outcome applier for case type "${input.type}"`);
      return prisma.$transaction((tx) => applier(tx, input));
    },
  };
}
