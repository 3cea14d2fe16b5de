import type { EligibilityReason, Problem } from './types';

/**
 * The one way the UI talks to the server: the documented /api/v1 routes, with the bearer token kept in
 * sessionStorage. Every failure becomes an ApiError carrying the RFC 9457 problem details, so pages can show
 * a readable message (and field errors beside their fields) instead of failing silently.
 */

const TOKEN_KEY = 'cases.token';

export type FieldError = NonNullable<Problem['errors']>[number];

export class ApiError extends Error {
  constructor(
    /** HTTP status; 0 when the server could not be reached. */
    readonly status: number,
    /** Problem type without its prefix ("business-rule"), or "network". */
    readonly type: string,
    readonly detail: string,
    readonly errors: FieldError[] = [],
    readonly reasons: EligibilityReason[] = [],
    readonly retryAfter: string | null = null,
  ) {
    super(detail || `HTTP ${status}`);
  }
}

export function getToken(): string | null {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function setToken(token: string | null): void {
  if (token) sessionStorage.setItem(TOKEN_KEY, token);
  else sessionStorage.removeItem(TOKEN_KEY);
}

/** Called when the server answers 401 to a signed-in request: the session has expired. */
let onUnauthenticated: () => void = () => undefined;
export function setUnauthenticatedHandler(handler: () => void): void {
  onUnauthenticated = handler;
}

/** A random UUID, also where crypto.randomUUID is missing (pages served over plain HTTP to another host). */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x40;
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
  const hex = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  body?: unknown;
  idempotencyKey?: string;
  signal?: AbortSignal;
  /** Sign-in routes: no token, and a 401 is not an expired session. */
  anonymous?: boolean;
  accept?: string;
}

/** Query string from an object, leaving out empty values. */
export function query(params: Record<string, string | number | boolean | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === '') continue;
    search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

/** The API's routes that take no sign-in: signing in, and the public notice board. */
const OPEN_ROUTES = /^\/(auth|public)\//;

async function send(path: string, options: RequestOptions): Promise<Response> {
  const headers: Record<string, string> = { Accept: options.accept ?? 'application/json' };
  const token = options.anonymous ? null : getToken();
  // Signed out (a page's effect that runs just after the sign-out click): a request that needs the session is not
  // sent, as the server could only refuse it.
  if (!token && !options.anonymous && !OPEN_ROUTES.test(path)) throw new ApiError(401, 'unauthenticated', 'not signed in');
  if (token) headers.Authorization = `Bearer ${token}`;
  // A FormData body (a file upload) sets its own multipart Content-Type with the boundary.
  const form = options.body instanceof FormData;
  if (options.body !== undefined && !form) headers['Content-Type'] = 'application/json';
  if (options.idempotencyKey) headers['Idempotency-Key'] = options.idempotencyKey;
  let res: Response;
  try {
    res = await fetch(`/api/v1${path}`, {
      method: options.method ?? 'GET',
      headers,
      body: options.body === undefined ? undefined : form ? (options.body as FormData) : JSON.stringify(options.body),
      signal: options.signal,
    });
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    throw new ApiError(0, 'network', (err as Error).message);
  }
  if (res.ok) return res;
  let problem: Partial<Problem> = {};
  try {
    problem = (await res.json()) as Partial<Problem>;
  } catch {
    /* not JSON: a proxy's error page */
  }
  if (res.status === 401 && token) onUnauthenticated();
  throw new ApiError(
    res.status,
    (problem.type ?? '').replace(/^\/problems\//, '') || 'http',
    problem.detail ?? res.statusText,
    Array.isArray(problem.errors) ? problem.errors : [],
    Array.isArray(problem.reasons) ? problem.reasons.map(asReason) : [],
    res.headers.get('Retry-After'),
  );
}

/**
 * A business-rule problem's reasons: the eligibility rules the worker failed (submitting a case), or a rule's own
 * reasons, each a code and a sentence in both languages (the 优秀 cap of an assessment's proposal, a review period
 * that ended), said the same way: failed, with the sentence in the UI's language.
 */
function asReason(reason: unknown): EligibilityReason {
  const r = reason as Partial<EligibilityReason> & { code?: string; workerId?: string | null; message?: EligibilityReason['detail'] };
  if (r.ruleId !== undefined && r.detail !== undefined) return r as EligibilityReason;
  return {
    ruleId: r.workerId ? `${r.code ?? ''} ${r.workerId}` : (r.code ?? ''),
    passed: false,
    detail: r.message ?? { zh: '', en: '' },
    data: {},
  };
}

export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const res = await send(path, options);
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}

/** Downloads a response as a file (the CSV export needs the bearer header, so a plain link will not do). */
export async function download(path: string, filename: string, accept: string): Promise<void> {
  const res = await send(path, { accept });
  saveBlob(await res.blob(), filename);
}

/** A file the API serves behind the bearer token, as a blob: URL to show inline (revoke it when done). */
export async function blobUrl(path: string): Promise<{ url: string; type: string; blob: Blob }> {
  const res = await send(path, { accept: '*/*' });
  const blob = await res.blob();
  return { url: URL.createObjectURL(blob), type: blob.type, blob };
}

export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * Field errors keyed by field path, without a leading "payload." or "data." when asked, each said by `say` (the
 * i18n labels' fieldError: in the reader's language).
 */
export function fieldErrors(error: unknown, say: (e: FieldError) => string, prefix = ''): Record<string, string> {
  if (!(error instanceof ApiError)) return {};
  const out: Record<string, string> = {};
  for (const e of error.errors) {
    const field = prefix && e.field.startsWith(prefix) ? e.field.slice(prefix.length) : e.field;
    out[field] ??= say(e);
  }
  return out;
}
