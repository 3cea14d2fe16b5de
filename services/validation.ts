import { z } from 'zod';
import { startOfLocalDate } from '../domain/calendar';
import { isIsoDate } from '../domain/dates';
import { inputProblem } from '../domain/input';
import { invalid, type FieldError } from './problem';

/** Input checks the services and the API's operations share: parsing with a 400 problem, dates, page cursors. */

/** An ISO 8601 instant with its offset; zod's check refuses days a month does not have, the date part is checked as any date. */
const isoInstant = z.iso.datetime({ offset: true });
const isInstant = (v: string) => isoInstant.safeParse(v).success && isIsoDate(v.slice(0, 10));

/**
 * A query parameter naming a moment: an ISO 8601 instant with its offset, or a local date meaning its start
 * (00:00 in China). Either must exist: 2024-02-30 is refused, not read as 1 March.
 */
export const instantParam = z
  .string()
  .refine((v) => isIsoDate(v) || isInstant(v), 'expected a calendar date (YYYY-MM-DD) or an ISO 8601 instant with its offset')
  .transform((v) => (isIsoDate(v) ? startOfLocalDate(v) : new Date(v)));

/**
 * A zod issue as a field error: zod's English message, and its code with the limit or format it names, so a client
 * says it in the reader's language; a schema's own check (a refine) is named by its `params.key`.
 */
export function issueFieldError(issue: z.core.$ZodIssue, where: string): FieldError {
  const error: FieldError = {
    field: [where, ...issue.path.map(String)].filter(Boolean).join('.'),
    message: issue.message,
    code: issue.code,
  };
  if (issue.code === 'too_small') Object.assign(error, { limit: Number(issue.minimum), origin: issue.origin });
  if (issue.code === 'too_big') Object.assign(error, { limit: Number(issue.maximum), origin: issue.origin });
  if (issue.code === 'invalid_format') error.format = issue.format;
  if (issue.code === 'custom' && typeof issue.params?.key === 'string') error.key = issue.params.key;
  return error;
}

/** Parses with a zod schema or throws a 400 problem naming every failing field. */
export function parseOr400<T extends z.ZodType>(schema: T, value: unknown, where: string): z.infer<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const errors = result.error.issues.map((issue) => issueFieldError(issue, where));
  throw invalid(errors.map((e) => `${e.field}: ${e.message}`).join('; '), errors);
}

/**
 * Refuses, with a 400 naming the field, any input PostgreSQL could not store or a parser could not read
 * (domain/input.ts: NUL, lone surrogates, nesting too deep); run on params, query and body before their schemas.
 */
export function refuseUnsafeInput(value: unknown, where: string): void {
  const problem = inputProblem(value);
  if (!problem) return;
  const field = [where, ...problem.path.map(String)].filter(Boolean).join('.') || 'body';
  throw invalid(`${field}: ${problem.message}`, [{ field, message: problem.message }]);
}

/** A keyset cursor as the API hands it out: opaque base64url JSON. */
export function encodeCursor(cursor: object): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

/**
 * A cursor the API handed out, or a 400 problem: `schema` checks what comes back (a cursor is opaque to clients,
 * not trusted: a forged one with a date that is not one, or a number beyond PostgreSQL's integers, is refused
 * here instead of failing in the query).
 */
export function decodeCursor<T extends z.ZodType>(raw: string, schema: T): z.output<T> {
  let cursor: unknown;
  try {
    cursor = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    /* not JSON: refused below */
  }
  const parsed = schema.safeParse(cursor);
  if (parsed.success) return parsed.data;
  throw invalid('cursor: not a cursor this API returned', [{ field: 'query.cursor', message: 'invalid cursor' }]);
}

/** An instant as cursors hold it (toISOString's form). */
export const cursorInstant = z.iso.datetime().refine((v) => isIsoDate(v.slice(0, 10)));
/** An id as cursors hold it. */
export const cursorId = z.string().min(1).max(100);
