import { inferred, sourced, workingDays, type CaseTypeRules } from '../../rules/provenance';
import { SRC } from '../../rules/sources';

/** Promotion's values in the Jiangsu rules, with their sources (docs/policy.md); the grade system itself is shared (`grades`). */
export const promotionRules: CaseTypeRules = {
  periods: {
    'promotion.communityRecommendation': { period: workingDays(5), provenance: inferred('No sourced limit.') },
    'promotion.streetDecision': { period: workingDays(10), provenance: inferred('No sourced limit for the street decision.') },
    'promotion.notice': {
      period: workingDays(5),
      provenance: inferred('No Jiangsu source for a promotion 公示; many cities use 5 working days.'),
    },
  },
  approvals: {
    'promotion.community-recommendation': {
      approval: {
        level: 'community',
        department: 'party_organisation',
        escalateTo: { level: 'street', department: 'party_committee' },
      },
      provenance: inferred('The community party organisation recommends (common practice); an overdue recommendation goes to the street.'),
    },
    'promotion.street-decision': {
      approval: { level: 'street', department: 'party_committee' },
      provenance: sourced(SRC.jiangsu2019, 'The 乡镇(街道)党(工)委 assesses yearly and promotes those eligible (§8).'),
    },
  },
  provenance: {},
};
