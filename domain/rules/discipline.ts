import { z } from 'zod';
import { DISCIPLINE_KINDS, type DisciplineKind } from '../personnel';
import { analogue, inferred, type Provenance } from './provenance';
import { count } from './schema-parts';
import { SRC } from './sources';

/**
 * How long each kind of disciplinary measure (处分) affects a worker (影响期), in months from its decision (for a
 * measure with a term of its own, 留党察看, from the end of that term): no grade promotion, no targeted
 * recruitment and no commendation while it runs. The kinds are the law's (domain/personnel.ts); the periods are
 * rule values.
 */
export interface DisciplineEffect {
  /** Months during which the measure blocks a grade promotion and targeted recruitment (提拔、进一步使用). */
  promotionMonths: number;
  /** Months during which the measure blocks a commendation (评先评优). */
  commendationMonths: number;
}

export interface DisciplineRules {
  effects: Record<DisciplineKind, DisciplineEffect>;
}

const effect = z.strictObject({ promotionMonths: count, commendationMonths: count });
export const disciplineRulesSchema = z.strictObject({
  effects: z.strictObject(Object.fromEntries(DISCIPLINE_KINDS.map((k) => [k, effect])) as Record<DisciplineKind, typeof effect>),
});

const months = (promotionMonths: number, commendationMonths = promotionMonths): DisciplineEffect => ({
  promotionMonths,
  commendationMonths,
});

/** The Jiangsu defaults, with where each comes from. */
export const disciplineRules: { discipline: DisciplineRules; provenance: Record<string, Provenance> } = {
  discipline: {
    effects: {
      government_warning: months(6),
      government_demerit: months(12),
      government_major_demerit: months(18),
      party_warning: months(12),
      party_serious_warning: months(18),
      party_post_removal: months(24),
      party_probation: months(24),
      party_expulsion: months(60),
      contract_warning: months(6),
      contract_demerit: months(12),
      contract_grade_lowered: months(24),
    },
  },
  provenance: {
    'discipline.effects.government_warning': analogue(
      SRC.governmentSanctions,
      '政务处分期 of a 警告: 6 months (第八条). The law bars civil servants from promotion for that period; applied to grade steps and commendations.',
    ),
    'discipline.effects.government_demerit': analogue(
      SRC.governmentSanctions,
      '政务处分期 of a 记过: 12 months (第八条), applied as above.',
    ),
    'discipline.effects.government_major_demerit': analogue(
      SRC.governmentSanctions,
      '政务处分期 of a 记大过: 18 months (第八条), applied as above.',
    ),
    'discipline.effects.party_warning': analogue(
      SRC.partyDiscipline,
      '警告: no promotion or further use in the party for 1 year (第十条); the same period applied to grade steps and commendations.',
    ),
    'discipline.effects.party_serious_warning': analogue(SRC.partyDiscipline, '严重警告: 1½ years (第十条), applied as above.'),
    'discipline.effects.party_post_removal': analogue(
      SRC.partyDiscipline,
      '撤销党内职务: no equal or higher post for 2 years (第十一条), applied as above.',
    ),
    'discipline.effects.party_probation': analogue(
      SRC.partyDiscipline,
      '留党察看: no equal or higher post for 2 years after the party rights are restored, i.e. after the term (第十二条), applied as above.',
    ),
    'discipline.effects.party_expulsion': analogue(
      SRC.partyDiscipline,
      '开除党籍: no readmission for 5 years; taken as the effect on grade steps and commendations.',
    ),
    'discipline.effects.contract_warning': inferred(
      'No source: an employer’s warning affects promotion and commendation for 6 months, like a 政务警告.',
    ),
    'discipline.effects.contract_demerit': inferred('No source: 12 months, like a 政务记过.'),
    'discipline.effects.contract_grade_lowered': analogue(
      SRC.maanshan,
      '降低岗位等级 caps the assessment for its period; 24 months taken from the longest civil-service period (降级, 撤职).',
    ),
  },
};
