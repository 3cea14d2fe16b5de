import type { z } from 'zod';
import { invalid, type FieldError } from './problem';

/** Parses with a zod schema or throws a 400 problem naming every failing field. */
export function parseOr400<T extends z.ZodType>(schema: T, value: unknown, where: string): z.infer<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const errors: FieldError[] = result.error.issues.map((issue) => ({
    field: [where, ...issue.path.map(String)].filter(Boolean).join('.'),
    message: issue.message,
  }));
  throw invalid(errors.map((e) => `${e.field}: ${e.message}`).join('; '), errors);
}
