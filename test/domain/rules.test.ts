import type { Period } from '../../domain/calendar';
import { registeredDefinitions, type CaseTypeName } from '../../domain/case-types';
import { periodKeysOf } from '../../domain/process/definition';
import {
  BUILT_IN_RULE_SETS,
  parameterPaths,
  parseRuleSet,
  periodOf,
  provenanceOf,
  rulePathExists,
  RuleSetError,
  type RuleSet,
} from '../../domain/rules';

const jiangsu = BUILT_IN_RULE_SETS['jiangsu-2025'] as RuleSet;
const demo = BUILT_IN_RULE_SETS['demo'] as RuleSet;

const wd = (workingDays: number): Period => ({ workingDays });
const JIANGSU_PERIODS: [string, Period][] = [
  ['promotion.communityRecommendation', wd(5)],
  ['promotion.streetDecision', wd(10)],
  ['promotion.notice', wd(5)],
  ['recruitment.streetCertification', wd(5)],
  ['recruitment.eligibilityCheck', wd(10)],
  ['recruitment.examRecording', wd(20)],
  ['recruitment.inspection', wd(15)],
  ['recruitment.notice.civilService', wd(5)],
  ['recruitment.notice.publicInstitution', { days: 7 }],
  ['recruitment.appointment', wd(10)],
  ['errorTolerance.acceptance', wd(5)],
  ['errorTolerance.verification', wd(20)],
  ['errorTolerance.statement', wd(5)],
  ['errorTolerance.decision', wd(10)],
  ['errorTolerance.reply', wd(5)],
  ['errorTolerance.copyToHr', wd(5)],
  ['errorTolerance.filing', wd(10)],
  ['errorTolerance.correction', wd(30)],
  ['nameClearing.assessment', wd(5)],
  ['nameClearing.wishes', wd(5)],
  ['nameClearing.approval', wd(10)],
  ['nameClearing.implementation', wd(15)],
  ['nameClearing.referral', wd(5)],
  ['nameClearing.returnVisitDelay', { days: 30 }],
  ['nameClearing.returnVisit', wd(10)],
  ['nameClearing.archive', wd(5)],
  ['commendation.nomination', wd(10)],
  ['commendation.streetRecommendation', wd(10)],
  ['commendation.disciplineOpinion', wd(10)],
  ['commendation.qualificationReview', wd(10)],
  ['commendation.evaluation', wd(10)],
  ['commendation.recommendation', wd(10)],
  ['commendation.notice', wd(5)],
  ['commendation.decision', { days: 30 }],
  ['exit.verification', wd(10)],
  ['exit.hearing', wd(5)],
  ['exit.decision', wd(10)],
  ['exit.partyPostRemoval', wd(10)],
  ['exit.recall', wd(30)],
  ['exit.contract', wd(10)],
  ['appeal.acceptance', wd(5)],
  ['appeal.hearing', wd(10)],
  ['appeal.decision', { days: 30 }],
  ['appeal.reply', wd(5)],
  ['assessment.streetConfirmation', wd(10)],
  ['assessment.review', { days: 30 }],
  ['secondment.streetApproval', wd(5)],
  ['secondment.countyApproval', wd(5)],
  ['reminder.first', wd(3)],
];

describe('jiangsu-2025 periods', () => {
  test.each(JIANGSU_PERIODS)('%s', (key, period) => {
    expect(periodOf(jiangsu, key)).toEqual(period);
  });

  test('no other periods', () => {
    expect(Object.keys(jiangsu.periods).sort()).toEqual(JIANGSU_PERIODS.map(([k]) => k).sort());
  });

  test('an unknown key fails loudly', () => {
    expect(() => periodOf(jiangsu, 'promotion.nope')).toThrow(/no period "promotion.nope"/);
  });

  test('every period is used by a current definition, and no stage borrows another type’s period', () => {
    const used = new Set<string>();
    for (const definition of registeredDefinitions()) {
      const prefix = {
        promotion: 'promotion.',
        recruitment: 'recruitment.',
        'error-tolerance': 'errorTolerance.',
        'name-clearing': 'nameClearing.',
        commendation: 'commendation.',
        exit: 'exit.',
        appeal: 'appeal.',
        secondment: 'secondment.',
        assessment: 'assessment.',
      }[definition.type as CaseTypeName];
      for (const key of periodKeysOf(definition)) {
        used.add(key);
        if (key !== 'reminder.first') expect([definition.type, key.startsWith(prefix)]).toEqual([definition.type, true]);
      }
    }
    // Read by a service, not a stage: the annual assessment's review period runs from the notice the whole list gets
    // (services/assessments.ts), and its group waits it out.
    for (const key of ['assessment.review']) used.add(key);
    expect(Object.keys(jiangsu.periods).filter((key) => !used.has(key))).toEqual([]);
  });
});

describe('demo rule set', () => {
  test.each<[string, Period]>([
    ['promotion.notice', { seconds: 3 }],
    ['commendation.notice', { seconds: 3 }],
    ['recruitment.notice.civilService', { seconds: 3 }],
    ['recruitment.notice.publicInstitution', { seconds: 3 }],
    ['nameClearing.returnVisitDelay', { seconds: 3 }],
    ['reminder.first', { seconds: 300 }],
    ['promotion.streetDecision', { seconds: 600 }],
    ['nameClearing.returnVisit', { seconds: 600 }],
    ['commendation.decision', { seconds: 600 }],
  ])('%s → %j', (key, period) => {
    expect(periodOf(demo, key)).toEqual(period);
  });

  test('has every Jiangsu period, in seconds, and the same rules', () => {
    expect(Object.keys(demo.periods).sort()).toEqual(Object.keys(jiangsu.periods).sort());
    expect(Object.values(demo.periods).every((p) => 'seconds' in p)).toBe(true);
    const { id, title, periods, ...rest } = demo;
    const { id: _i, title: _t, periods: _p, ...jiangsuRest } = jiangsu;
    expect(id).toBe('demo');
    expect(title.en).toMatch(/seconds/);
    expect(periods).toBeDefined();
    expect(rest).toEqual(jiangsuRest);
  });
});

describe('provenance', () => {
  test.each(Object.values(BUILT_IN_RULE_SETS).map((r) => [r.id, r] as const))(
    '%s: every key names a value, every period has an entry',
    (_id, ruleSet) => {
      expect(Object.keys(ruleSet.provenance).filter((key) => !rulePathExists(ruleSet, key))).toEqual([]);
      expect(Object.keys(ruleSet.periods).filter((key) => !ruleSet.provenance[`periods.${key}`])).toEqual([]);
    },
  );

  test.each([
    ['grades.bands', 'analogue'],
    ['grades.weakResults', 'analogue'],
    ['grades.postChangeEffectiveFrom', 'inferred'],
    ['grades.postChangeBonus', 'inferred'],
    ['grades.requireEveryAssessment', 'inferred'],
    ['grades.midYearHireExempt', 'inferred'],
    ['grades.degreeCreditYears', 'analogue'],
    ['grades.earlyPromotion.consecutiveExcellent', 'analogue'],
    ['grades.earlyPromotion.withinCurrentGrade', 'inferred'],
    ['collectiveDecision.quorum', 'analogue'],
    ['collectiveDecision.passing', 'analogue'],
    ['collectiveDecision.recusedCountAsExpected', 'inferred'],
    ['residentsMeeting.quorum', 'sourced'],
    ['notice.objectionsPause', 'inferred'],
    ['scales.recruitment.examScore', 'inferred'],
    ['recruitment.civil-service.minYearsInPost', 'analogue'],
    ['recruitment.public-institution.maxAge', 'analogue'],
    ['recruitment.public-institution.assessment', 'analogue'],
    ['recruitment.jiangsu-secretary.minSecretaryFullTerms', 'sourced'],
    ['commendation.minLatestAssessment', 'inferred'],
    ['exit.qualification.years', 'sourced'],
    ['exit.qualification.effectiveFrom', 'inferred'],
    ['exit.qualification.warningDays', 'inferred'],
    ['exit.assessmentTriggers.consecutive-basically-competent.orWorse', 'inferred'],
    ['discipline.effects.party_warning', 'analogue'],
    ['discipline.effects.contract_warning', 'inferred'],
    ['approvals.promotion.street-decision', 'sourced'],
    ['approvals.name-clearing.handler.county-discipline', 'sourced'],
    ['approvals.commendation.decision.city', 'inferred'],
    ['periods.promotion.notice', 'inferred'],
    ['periods.nameClearing.returnVisitDelay', 'inferred'],
    ['periods.recruitment.notice.civilService', 'sourced'],
    ['periods.recruitment.notice.publicInstitution', 'analogue'],
    ['periods.nameClearing.implementation', 'analogue'],
    ['periods.commendation.decision', 'analogue'],
  ])('%s is %s', (key, status) => {
    expect(jiangsu.provenance[key]?.status).toBe(status);
  });

  test('every parameter is covered: its own provenance entry or an enclosing value’s', () => {
    expect(parameterPaths(jiangsu).filter((path) => provenanceOf(jiangsu, path) === undefined)).toEqual([]);
  });

  test('every approval has an entry of its own', () => {
    expect(Object.keys(jiangsu.approvals).filter((key) => !jiangsu.provenance[`approvals.${key}`])).toEqual([]);
  });

  test('sourced and analogue values name their source', () => {
    expect(Object.entries(jiangsu.provenance).filter(([, p]) => p.status !== 'inferred' && !p.source)).toEqual([]);
  });

  test('each exit reason has provenance matching its status', () => {
    for (const reason of jiangsu.exit.reasons) {
      expect([reason.code, jiangsu.provenance[`exit.reasons.${reason.code}`]?.status]).toEqual([
        reason.code,
        reason.status === 'confirmed' ? 'sourced' : 'inferred',
      ]);
    }
  });

  test.each([
    ['periods.promotion.notice', true],
    ['periods.promotion', false],
    ['periods.promotion.notice.x', false],
    ['grades.bands.head.max', true],
    ['grades.band', false],
    ['exit.reasons.dereliction.title.zh', true],
    ['exit.reasons.treason', false],
    ['recruitment.civil-service.minAge', true],
    ['recruitment.public-institution.minAge', false],
  ])('rulePathExists(%s) = %s', (path, exists) => {
    expect(rulePathExists(jiangsu, path)).toBe(exists);
  });
});

describe('parseRuleSet', () => {
  const clone = (): Record<string, any> => JSON.parse(JSON.stringify(jiangsu));

  test.each(Object.values(BUILT_IN_RULE_SETS).map((r) => [r.id, r] as const))('%s survives a JSON round trip', (_id, ruleSet) => {
    expect(parseRuleSet(JSON.parse(JSON.stringify(ruleSet)))).toEqual(ruleSet);
  });

  test.each<[string, (r: Record<string, any>) => void, string]>([
    [
      'a negative period',
      (r) => {
        r['periods']['promotion.notice'] = { workingDays: -1 };
      },
      'periods["promotion.notice"].workingDays',
    ],
    [
      'a period in two units',
      (r) => {
        r['periods']['exit.hearing'] = { days: 3, seconds: 5 };
      },
      'periods["exit.hearing"]: expected exactly one of',
    ],
    [
      'a period in weeks',
      (r) => {
        r['periods']['exit.hearing'] = { weeks: 1 };
      },
      'periods["exit.hearing"]: expected exactly one of',
    ],
    [
      'a missing band maximum',
      (r) => {
        delete r['grades']['bands']['head']['max'];
      },
      'grades.bands.head.max',
    ],
    [
      'an inverted band',
      (r) => {
        r['grades']['bands']['deputy'] = { min: 15, max: 4 };
      },
      'grades.bands.deputy: min must not exceed max',
    ],
    [
      'an unknown post type in a band table',
      (r) => {
        r['grades']['bands']['chief'] = { min: 1, max: 2 };
      },
      'grades.bands: Unrecognized key',
    ],
    [
      'an age as text',
      (r) => {
        r['recruitment']['civil-service']['maxAge'] = 'forty';
      },
      'recruitment.civil-service.maxAge',
    ],
    [
      'an eligible post with no years',
      (r) => {
        r['recruitment']['public-institution']['eligiblePostTypes'].push('general');
      },
      'recruitment.public-institution.minYearsInPost.general',
    ],
    [
      'an unknown assessment result',
      (r) => {
        r['grades']['weakResults'] = { poor: 'year-not-counted' };
      },
      'grades.weakResults: Unrecognized key: "poor"',
    ],
    [
      'an unknown weak-result effect',
      (r) => {
        r['grades']['weakResults'] = { incompetent: 'demotion' };
      },
      'grades.weakResults.incompetent',
    ],
    [
      'a quorum above the whole',
      (r) => {
        r['collectiveDecision']['quorum'] = { numerator: 4, denominator: 3, strict: false };
      },
      'collectiveDecision.quorum: a share is at most the whole',
    ],
    [
      'an approval in a department that does not exist',
      (r) => {
        r['approvals']['promotion.street-decision'] = { level: 'street', department: 'politburo' };
      },
      'approvals["promotion.street-decision"].department',
    ],
    [
      'a discipline kind without its effect',
      (r) => {
        delete r['discipline']['effects']['party_warning'];
      },
      'discipline.effects.party_warning',
    ],
    [
      'an obsolete discipline kind',
      (r) => {
        r['discipline']['effects']['dismissal_probation'] = { promotionMonths: 24, commendationMonths: 24 };
      },
      'discipline.effects: Unrecognized key',
    ],
    [
      'a sourced value without a source',
      (r) => {
        r['provenance']['grades.bands'] = { status: 'sourced' };
      },
      'provenance["grades.bands"].source',
    ],
    [
      'a certificate rule without a valid effective date',
      (r) => {
        r['exit']['qualification']['effectiveFrom'] = '2025-02-30';
      },
      'exit.qualification.effectiveFrom',
    ],
    [
      'a trigger of no reason',
      (r) => {
        r['exit']['assessmentTriggers'][1]['reasonCode'] = 'gone';
      },
      'exit.assessmentTriggers[1].reasonCode: no exit reason has code "gone"',
    ],
    [
      'a duplicate reason',
      (r) => {
        r['exit']['reasons'].push({ ...r['exit']['reasons'][0] });
      },
      'exit.reasons[7].code: duplicate',
    ],
    [
      'a provenance key naming nothing',
      (r) => {
        r['provenance']['grades.band'] = { status: 'inferred' };
      },
      'provenance["grades.band"]: names no value',
    ],
    [
      'a bad provenance status',
      (r) => {
        r['provenance']['grades.bands'] = { status: 'guessed' };
      },
      'provenance["grades.bands"].status',
    ],
    [
      'an unknown top-level section',
      (r) => {
        r['bonuses'] = {};
      },
      '(root): Unrecognized key: "bonuses"',
    ],
    [
      'a missing section',
      (r) => {
        delete r['commendation'];
      },
      'commendation:',
    ],
  ])('rejects %s, naming the path', (_name, damage, message) => {
    const json = clone();
    damage(json);
    expect(() => parseRuleSet(json, 'county.json')).toThrow(RuleSetError);
    try {
      parseRuleSet(json, 'county.json');
    } catch (err) {
      expect((err as RuleSetError).message).toContain('invalid rule set county.json');
      expect((err as RuleSetError).problems.join('\n')).toContain(message);
    }
  });

  test('reports every problem, not just the first', () => {
    const json = clone();
    json['version'] = 0;
    json['grades']['stepYears'] = 0;
    try {
      parseRuleSet(json);
      throw new Error('accepted');
    } catch (err) {
      expect((err as RuleSetError).problems.map((p) => p.split(':')[0])).toEqual(['version', 'grades.stepYears']);
    }
  });

  test('rejects what is not an object', () => {
    expect(() => parseRuleSet('jiangsu')).toThrow(/\(root\)/);
  });
});
