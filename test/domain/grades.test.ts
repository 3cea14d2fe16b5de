import { compareEducation, comparePostType, initialGrade, nextGrade, promotionEffectiveFrom, type GradeMove } from '../../domain/grades';
import type { Education, PostType } from '../../domain/personnel';
import { BUILT_IN_RULE_SETS, type RuleSet } from '../../domain/rules';

const rules = BUILT_IN_RULE_SETS['jiangsu-2025'] as RuleSet;

describe('initial grade: band minimum + one grade per full step, degrees counted as years', () => {
  test.each<[Education, PostType, number, number]>([
    ['junior_college', 'general', 0, 1],
    ['junior_college', 'general', 2, 1],
    ['junior_college', 'general', 3, 2],
    ['bachelor', 'general', 0, 2], // 3 credit years = one step
    ['master', 'general', 0, 2], // 5 → one step
    ['master', 'general', 1, 3], // 6 → two steps
    ['doctorate', 'general', 2, 4], // 9 → three steps
    ['bachelor', 'deputy', 0, 5],
    ['bachelor', 'head', 3, 9],
    ['doctorate', 'general', 40, 12], // capped at the band maximum
    ['doctorate', 'head', 40, 18],
  ])('%s, %s, %i years → grade %i', (education, postType, years, grade) => {
    expect(initialGrade(education, postType, years, rules)).toBe(grade);
  });

  test('negative service is refused', () => {
    expect(() => initialGrade('bachelor', 'general', -1, rules)).toThrow(RangeError);
  });
});

describe('next grade', () => {
  test.each<[number, PostType, GradeMove, number, PostType, boolean]>([
    [5, 'general', { kind: 'regular' }, 6, 'general', true],
    [11, 'general', { kind: 'regular' }, 12, 'general', true],
    [12, 'general', { kind: 'regular' }, 13, 'general', false], // ceiling of 一般 is 12
    [15, 'deputy', { kind: 'early' }, 16, 'deputy', false],
    [17, 'head', { kind: 'early' }, 18, 'head', true],
    [2, 'general', { kind: 'post-change', newPostType: 'deputy' }, 4, 'deputy', true], // up to the band minimum
    [9, 'general', { kind: 'post-change', newPostType: 'deputy' }, 9, 'deputy', true], // already inside the band
    [5, 'deputy', { kind: 'post-change', newPostType: 'head' }, 7, 'head', true],
    [12, 'deputy', { kind: 'post-change', newPostType: 'head' }, 12, 'head', true],
  ])('grade %i %s, %j → %i %s (within band: %s)', (grade, postType, move, toGrade, newPostType, within) => {
    const next = nextGrade({ grade, postType }, move, rules);
    expect(next).toMatchObject({ fromGrade: grade, toGrade, postType: newPostType, withinBand: within });
  });

  test('a post-change bonus adds grades on top of entering the band', () => {
    const bonus: RuleSet = { ...rules, grades: { ...rules.grades, postChangeBonus: 1 } };
    expect(nextGrade({ grade: 9, postType: 'general' }, { kind: 'post-change', newPostType: 'deputy' }, bonus).toGrade).toBe(10);
    expect(nextGrade({ grade: 2, postType: 'general' }, { kind: 'post-change', newPostType: 'deputy' }, bonus).toGrade).toBe(5);
  });
});

test.each<[PostType, PostType, number]>([
  ['general', 'deputy', -1],
  ['deputy', 'head', -1],
  ['head', 'general', 1],
  ['deputy', 'deputy', 0],
])('comparePostType(%s, %s) has sign %i', (a, b, sign) => {
  expect(Math.sign(comparePostType(a, b))).toBe(sign);
});

test.each<[Education, Education, number]>([
  ['high_school', 'junior_college', -1],
  ['secondary_vocational', 'junior_college', -1],
  ['bachelor', 'junior_college', 1],
  ['doctorate', 'master', 1],
  ['junior_college', 'junior_college', 0],
])('compareEducation(%s, %s) has sign %i', (a, b, sign) => {
  expect(Math.sign(compareEducation(a, b))).toBe(sign);
});

test.each([
  ['next-january', '2026-01-01', '2026-03-15', '2026-01-01'],
  ['next-january', '2026-03-01', '2026-03-15', '2027-01-01'],
  ['decision-date', '2026-01-01', '2026-03-15', '2026-03-15'],
] as const)('%s: conditions met %s, decided %s → effective %s', (mode, met, asOf, expected) => {
  const variant: RuleSet = { ...rules, grades: { ...rules.grades, effectiveFrom: mode } };
  expect(promotionEffectiveFrom('regular', met, asOf, variant)).toBe(expected);
});
