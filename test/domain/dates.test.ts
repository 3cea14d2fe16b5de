import {
  ageOn,
  anniversary,
  calendarDate,
  daysBetween,
  firstJanuaryOnOrAfter,
  fullYearsSince,
  isIsoDate,
  periodEndInYears,
} from '../../domain/dates';
import { fieldProblems } from '../../domain/process/definition';

describe('full years of service (the first day counts)', () => {
  test.each([
    // since, asOf, years
    ['2023-03-01', '2026-02-28', 2],
    ['2023-03-01', '2026-03-01', 3], // on the anniversary
    ['2023-01-01', '2025-12-31', 2],
    ['2023-01-01', '2026-01-01', 3],
    // 29 February: the milestone of a common year falls on 1 March
    ['2024-02-29', '2026-02-28', 1],
    ['2024-02-29', '2026-03-01', 2],
    ['2024-02-29', '2027-02-28', 2],
    ['2024-02-29', '2027-03-01', 3],
    ['2024-02-29', '2028-02-28', 3],
    ['2024-02-29', '2028-02-29', 4], // a leap year has the day itself
    ['2026-05-01', '2026-04-30', 0], // not started yet
  ])('since %s, on %s: %i years', (since, asOf, years) => {
    expect(fullYearsSince(since, asOf)).toBe(years);
  });
});

describe('age in 周岁 (from the day after the birthday; 29 February → 28 February in common years)', () => {
  test.each([
    ['2000-02-29', '2026-02-27', 25],
    ['2000-02-29', '2026-02-28', 25],
    ['2000-02-29', '2026-03-01', 26],
    ['2000-02-29', '2028-02-29', 27], // the birthday itself, in a leap year
    ['2000-02-29', '2028-03-01', 28],
    ['2000-03-10', '2026-03-10', 25], // birthday: not yet
    ['2000-03-10', '2026-03-11', 26],
    ['1985-12-31', '2026-01-01', 40],
    ['1985-12-31', '2025-12-31', 39],
    ['2026-01-01', '2026-01-01', 0],
  ])('born %s, on %s: %i', (birth, asOf, age) => {
    expect(ageOn(birth, asOf)).toBe(age);
  });
});

test.each([
  ['2024-02-29', 1, '2025-03-01'],
  ['2024-02-29', 4, '2028-02-29'],
  ['2023-05-20', 3, '2026-05-20'],
  ['2026-06-01', -1, '2025-06-01'],
])('anniversary(%s, %i) = %s', (date, years, expected) => {
  expect(anniversary(date, years)).toBe(expected);
});

test.each([
  ['2024-02-29', 3, '2027-02-28'], // no 29 February: the last day of the month
  ['2024-02-29', 4, '2028-02-29'],
  ['2023-05-20', 3, '2026-05-20'],
  ['2023-01-31', 1, '2024-01-31'],
])('periodEndInYears(%s, %i) = %s', (date, years, expected) => {
  expect(periodEndInYears(date, years)).toBe(expected);
});

test.each([
  ['2026-01-01', '2026-01-01'],
  ['2026-01-02', '2027-01-01'],
  ['2026-12-31', '2027-01-01'],
])('first 1 January on or after %s is %s', (date, expected) => {
  expect(firstJanuaryOnOrAfter(date)).toBe(expected);
});

test('date validation and differences', () => {
  expect(isIsoDate('2024-02-29')).toBe(true);
  expect(isIsoDate('2026-02-29')).toBe(false);
  expect(isIsoDate('2026-13-01')).toBe(false);
  expect(isIsoDate('2026-1-01')).toBe(false);
  expect(daysBetween('2026-02-28', '2026-03-01')).toBe(1);
  expect(daysBetween('2024-02-28', '2024-03-01')).toBe(2);
  expect(() => fullYearsSince('2026-02-30', '2027-01-01')).toThrow(RangeError);
});

describe('one strict date check for every input', () => {
  test.each([
    ['2024-02-29', true],
    ['2024-02-30', false],
    ['2024-13-45', false],
    ['2023-02-29', false],
    ['2026-04-31', false],
    ['0000-01-01', false], // no year 0 in the Gregorian calendar (and PostgreSQL refuses it)
    ['0001-01-01', true],
    ['2026-1-01', false],
    ['2026-01-01T00:00:00Z', false],
  ])('%s: %s', (value, valid) => {
    expect(isIsoDate(value)).toBe(valid);
    expect(calendarDate.safeParse(value).success).toBe(valid);
    const problems = fieldProblems([{ name: 'on', title: { zh: '日期', en: 'On' }, type: 'date' }], { on: value });
    expect(problems).toEqual(valid ? [] : ['data.on: expected a calendar date YYYY-MM-DD that exists']);
  });
});
