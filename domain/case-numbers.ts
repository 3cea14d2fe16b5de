import type { CaseTypeName } from './case-types/names';

/**
 * Short case numbers (案件编号) such as 晋升-2026-0012: the type's short name, the year the case was submitted (China
 * time) and its sequence within the type and year, four digits at least. People say and search them instead of
 * the case's id; the database keeps the year and sequence (assigned once, when the case's row is first written).
 */

/** The short name each type's numbers start with. */
export const CASE_NUMBER_PREFIXES: Record<CaseTypeName, string> = {
  promotion: '晋升',
  recruitment: '招聘',
  'error-tolerance': '容错',
  'name-clearing': '澄清',
  commendation: '表彰',
  exit: '退出',
  appeal: '申诉',
  secondment: '借调',
  assessment: '考核',
};

export interface CaseNumberParts {
  type: CaseTypeName;
  year: number;
  seq: number;
}

export function formatCaseNumber(parts: { type: string; year: number | null; seq: number | null }): string | null {
  if (parts.year === null || parts.seq === null) return null;
  const prefix = (CASE_NUMBER_PREFIXES as Record<string, string>)[parts.type] ?? parts.type;
  return `${prefix}-${parts.year}-${String(parts.seq).padStart(4, '0')}`;
}

const SHAPE = /^\s*(\S+?)\s*[-－—]\s*(\d{4})\s*[-－—]\s*(\d{1,9})\s*$/u;

/** The parts of a case number as people type it (full-width dashes and missing leading zeros too), or null. */
export function parseCaseNumber(text: string): CaseNumberParts | null {
  const match = SHAPE.exec(text);
  if (!match) return null;
  const [, prefix, year, seq] = match as unknown as [string, string, string, string];
  const type = (Object.keys(CASE_NUMBER_PREFIXES) as CaseTypeName[]).find((t) => CASE_NUMBER_PREFIXES[t] === prefix || t === prefix);
  if (!type) return null;
  const n = Number(seq);
  if (!Number.isSafeInteger(n) || n < 1 || n > 2_147_483_647) return null;
  return { type, year: Number(year), seq: n };
}
