import { CASE_TYPE_NAMES } from '../../domain/case-types/names';
import { CASE_NUMBER_PREFIXES, formatCaseNumber, parseCaseNumber } from '../../domain/case-numbers';

describe('short case numbers', () => {
  test.each([
    [{ type: 'promotion', year: 2026, seq: 12 }, '晋升-2026-0012'],
    [{ type: 'exit', year: 2027, seq: 1 }, '退出-2027-0001'],
    [{ type: 'appeal', year: 2026, seq: 12345 }, '申诉-2026-12345'],
    [{ type: 'promotion', year: null, seq: null }, null],
  ])('%j is written %s', (parts, expected) => {
    expect(formatCaseNumber(parts)).toBe(expected);
  });

  test.each([
    ['晋升-2026-0012', { type: 'promotion', year: 2026, seq: 12 }],
    [' 晋升－2026－12 ', { type: 'promotion', year: 2026, seq: 12 }],
    ['promotion-2026-0012', { type: 'promotion', year: 2026, seq: 12 }],
    ['借调-2026-0003', { type: 'secondment', year: 2026, seq: 3 }],
    ['晋升-2026-0000', null],
    ['晋升-26-0012', null],
    ['升职-2026-0012', null],
    ['晋升 2026 0012', null],
    ['王五', null],
    ['', null],
  ])('%j reads as %j', (text, expected) => {
    expect(parseCaseNumber(text)).toEqual(expected);
  });

  test('every type has its own prefix, and every number reads back as written', () => {
    const prefixes = CASE_TYPE_NAMES.map((t) => CASE_NUMBER_PREFIXES[t]);
    expect(new Set(prefixes).size).toBe(prefixes.length);
    for (const type of CASE_TYPE_NAMES) {
      expect(parseCaseNumber(formatCaseNumber({ type, year: 2026, seq: 7 }) as string)).toEqual({ type, year: 2026, seq: 7 });
    }
  });
});
