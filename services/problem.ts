/**
 * Errors as RFC 9457 problem details (application/problem+json). Every error the API answers with is an
 * `HttpProblem` with a stable `type`: services and handlers throw them, the API's error middleware writes them.
 */

export const PROBLEM_TYPES = {
  'invalid-request': { status: 400, title: 'The request is invalid' },
  unauthenticated: { status: 401, title: 'Authentication is required' },
  forbidden: { status: 403, title: 'Not permitted' },
  'not-found': { status: 404, title: 'Not found' },
  conflict: { status: 409, title: 'Not allowed in the current state' },
  gone: { status: 410, title: 'Archived: the case is kept in the archive, no longer in the service' },
  'payload-too-large': { status: 413, title: 'The request body is too large' },
  'unsupported-media-type': { status: 415, title: 'Unsupported content type' },
  'business-rule': { status: 422, title: 'Refused by a business rule' },
  'idempotency-key-reused': { status: 422, title: 'Idempotency key reused with a different request' },
  'rate-limited': { status: 429, title: 'Too many requests' },
  'dependency-unavailable': { status: 503, title: 'A dependency is unavailable' },
  internal: { status: 500, title: 'Internal error' },
} as const;

export type ProblemType = keyof typeof PROBLEM_TYPES;

export interface FieldError {
  /** Dotted path of the failing field ("payload.kind"). */
  field: string;
  /** In English, for logs and English clients. */
  message: string;
  /**
   * What is wrong, for a client to say in its own language (the web UI's fieldError.* texts): zod's issue code
   * (too_small, too_big, invalid_type, invalid_value, invalid_format, …; custom for a schema's own check, named by
   * `key`), with the limit of a too_small or too_big and the format of an invalid_format. Absent: only `message`.
   */
  code?: string;
  limit?: number;
  origin?: string;
  format?: string;
  key?: string;
}

export class HttpProblem extends Error {
  readonly status: number;
  /** Seconds after which a retry may succeed (the Retry-After header): set on every 503 and 429. */
  retryAfterSeconds?: number;
  constructor(
    readonly type: ProblemType,
    readonly detail: string,
    readonly extra: { errors?: FieldError[]; reasons?: unknown[]; [key: string]: unknown } = {},
  ) {
    super(detail);
    this.status = PROBLEM_TYPES[type].status;
  }

  toJSON(instance?: string) {
    return {
      type: `/problems/${this.type}`,
      title: PROBLEM_TYPES[this.type].title,
      status: this.status,
      detail: this.detail,
      ...(instance ? { instance } : {}),
      ...this.extra,
    };
  }
}

export const invalid = (detail: string, errors?: FieldError[]) => new HttpProblem('invalid-request', detail, errors ? { errors } : {});
export const notFound = (what: string) => new HttpProblem('not-found', `${what} not found`);
export const forbidden = (detail: string) => new HttpProblem('forbidden', detail);

/** A dependency is down (Temporal, its workers, PostgreSQL, an API replica): 503 with the time to wait before retrying. */
export function unavailable(detail: string, retryAfterSeconds: number): HttpProblem {
  const problem = new HttpProblem('dependency-unavailable', detail);
  problem.retryAfterSeconds = retryAfterSeconds;
  return problem;
}
