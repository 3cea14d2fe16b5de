import { analogue, inferred, workingDays, type CaseTypeRules } from '../../rules/provenance';
import { SRC } from '../../rules/sources';

/**
 * The annual assessment's values in the Jiangsu rules (docs/policy.md). The 优秀 cap, the results that need a
 * reason and the 民主测评 weights are the rule set's annualAssessment section (domain/rules/rule-set.ts); the
 * review period (复核申请期限, from the written notice) and who acts at each step are here.
 */
export const assessmentRules: CaseTypeRules = {
  periods: {
    'assessment.streetConfirmation': {
      period: workingDays(10),
      provenance: inferred('No sourced limit for the street’s confirmation of a community’s results.'),
    },
    'assessment.review': {
      period: { days: 30 },
      provenance: analogue(
        SRC.civilServiceLawReview,
        '公务员法 第九十五条: a 复核 is asked for within 30 days of learning of the decision; here from the day the worker is told of the result in writing (that day not counted).',
      ),
    },
  },
  approvals: {
    'assessment.self-report': {
      approval: { level: 'community', department: 'party_organisation' },
      provenance: inferred('The community party organisation takes each worker’s 述职 on record (社区党组织 runs the self-review).'),
    },
    'assessment.evaluation': {
      approval: { level: 'community', department: 'party_organisation' },
      provenance: inferred('The community party organisation holds the 民主测评 and records its tally.'),
    },
    'assessment.proposal': {
      approval: { level: 'community', department: 'party_organisation' },
      provenance: analogue(
        SRC.beijingAssessmentReview,
        'The community’s evaluation group (考核小组, led by the community party organisation) proposes each worker’s result.',
      ),
    },
    'assessment.street-confirmation': {
      approval: { level: 'street', department: 'party_committee' },
      provenance: inferred(
        'The street party committee (街道党工委 / 考评领导小组) confirms the results; the usual flow, not a located rule.',
      ),
    },
    'assessment.notification': {
      approval: { level: 'community', department: 'party_organisation' },
      provenance: inferred('The community tells each worker of their result in writing.'),
    },
  },
  provenance: {},
};
