import { z } from 'zod';

/**
 * What every input must be before anything parses, stores or hashes it. PostgreSQL refuses the NUL character
 * (U+0000) in text and jsonb, and jsonb refuses a lone surrogate (half of a UTF-16 pair, e.g. "\ud800"): a
 * comment holding one was applied by the workflow and then could never be projected, freezing its case. And a
 * JSON value nested thousands deep overflows the stack of every recursive reader (zod's z.json() among them),
 * so its depth is bounded by a walk that does not recurse.
 */

/** Deepest nesting of objects and arrays any input may have; the deepest the API's own bodies reach is 3. */
export const MAX_INPUT_DEPTH = 32;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why a string cannot be stored as text, or null when it can. */
export function textProblem(text: string): string | null {
  if (text.includes('\u0000')) return 'must not contain the NUL character (U+0000)';
  if (LONE_SURROGATE.test(text)) return 'must not contain a lone surrogate (an unpaired half of a UTF-16 pair)';
  return null;
}

export interface InputProblem {
  path: (string | number)[];
  message: string;
}

/**
 * The first problem in a value (any string or object key with a character text cannot hold, or nesting deeper
 * than maxDepth), with its path; null when there is none. Iterative, so no input can exhaust the stack.
 */
export function inputProblem(value: unknown, maxDepth = MAX_INPUT_DEPTH): InputProblem | null {
  const stack: { value: unknown; path: (string | number)[] }[] = [{ value, path: [] }];
  for (let next = stack.pop(); next; next = stack.pop()) {
    const { value: v, path } = next;
    const key = path[path.length - 1];
    const keyProblem = typeof key === 'string' ? textProblem(key) : null;
    if (keyProblem) return { path, message: `has a key that ${keyProblem}` };
    if (typeof v === 'string') {
      const message = textProblem(v);
      if (message) return { path, message };
    } else if (v !== null && typeof v === 'object') {
      if (path.length >= maxDepth) return { path, message: `is nested deeper than ${maxDepth} levels` };
      const entries: [string | number, unknown][] = Array.isArray(v) ? v.map((item, i) => [i, item]) : Object.entries(v);
      // Pushed last first, so the first problem in document order is the one reported.
      for (let i = entries.length - 1; i >= 0; i -= 1) {
        const [k, item] = entries[i] as [string | number, unknown];
        stack.push({ value: item, path: [...path, k] });
      }
    }
  }
  return null;
}

/** A string field of any message: text that PostgreSQL can store. */
export const safeText = () =>
  z.string().check((ctx) => {
    const message = textProblem(ctx.value);
    if (message) ctx.issues.push({ code: 'custom', message, input: ctx.value });
  });

/**
 * Any JSON value (payloads, stage data): bounded in depth and with storable text, checked before z.json()
 * reads it, so a value nested 10,000 deep is refused instead of overflowing the stack.
 */
export const safeJson = () =>
  z
    .unknown()
    .check((ctx) => {
      const problem = inputProblem(ctx.value);
      if (problem) ctx.issues.push({ code: 'custom', message: problem.message, path: problem.path, input: ctx.value });
    })
    .pipe(z.json());
