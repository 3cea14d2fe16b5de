import { Component, useId, type ErrorInfo, type ReactNode } from 'react';
import { ApiError } from '../api';
import { useRuleSet } from '../hooks';
import { labels, useI18n, type Key } from '../i18n';
import { OidcError } from '../oidc';
import type { EligibilityReason } from '../types';

export function Loading({ label }: { label?: string }) {
  const { t } = useI18n();
  return (
    <p className="loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      {label ?? t('common.loading')}
    </p>
  );
}

const STATUS_MESSAGES: Record<number, Key> = {
  0: 'error.network',
  400: 'error.400',
  401: 'error.401',
  403: 'error.403',
  404: 'error.404',
  409: 'error.409',
  413: 'error.413',
  415: 'error.415',
  422: 'error.422',
  429: 'error.429',
  500: 'error.500',
  503: 'error.503',
};

/** A readable message for any failure: the kind of problem in the user's language, then the server's detail. */
export function ErrorMessage({
  error,
  onRetry,
  fieldLabel,
}: {
  error: unknown;
  onRetry?: () => void;
  fieldLabel?: (field: string) => string;
}) {
  const i = useI18n();
  const { t } = i;
  let title: string;
  let detail: string;
  let errors: { field: string; message: string }[] = [];
  let reasons: EligibilityReason[] = [];
  if (error instanceof ApiError) {
    const key = STATUS_MESSAGES[error.status];
    // The problem type names the failure most precisely; the status is the fallback for unknown types.
    title = i.tx(`problem.${error.type}`, key ? t(key) : t('error.other', { status: error.status }));
    detail = error.detail;
    errors = error.errors;
    reasons = error.reasons.filter((r) => !r.passed);
    if (error.status === 429 && error.retryAfter) detail = `${detail} (${t('error.retryAfter', { seconds: error.retryAfter })})`;
  } else if (error instanceof OidcError) {
    title = i.tx(`oidc.${error.code}`, error.code);
    detail = error.message;
  } else {
    title = t('error.unexpected');
    detail = error instanceof Error ? error.message : String(error);
  }
  return (
    <div className="error" role="alert">
      <p className="error-title">{title}</p>
      {/* The server writes its details in English: said as they are in the English UI, folded away in the Chinese one. */}
      {detail && i.lang === 'en' && (
        <p className="error-detail">
          <span className="muted">{t('error.serverSays')}</span> {detail}
        </p>
      )}
      {errors.length > 0 && (
        <ul className="error-fields">
          {errors.map((e) => (
            <li key={`${e.field}:${e.message}`}>
              {/* The field by its label; its raw path only in the English UI when the form gives no labels. */}
              <strong>{fieldLabel ? fieldLabel(e.field) : i.lang === 'en' ? e.field : ''}</strong>
              {(fieldLabel || i.lang === 'en' ? t('error.fieldSays') : '') + labels(i).fieldError(e)}
            </li>
          ))}
        </ul>
      )}
      {detail && i.lang !== 'en' && (
        <details className="error-detail">
          <summary>{t('error.technical')}</summary>
          {detail}
          {errors.map((e) => (
            <div key={`${e.field}:${e.message}`}>
              {e.field}: {e.message}
            </div>
          ))}
        </details>
      )}
      {reasons.length > 0 && <EligibilityList reasons={reasons} />}
      {onRetry && (
        <button type="button" className="secondary" onClick={onRetry}>
          {t('common.retry')}
        </button>
      )}
    </div>
  );
}

export function StatusBadge({ status }: { status: string }) {
  const l = labels(useI18n());
  return (
    <span className={`badge status-${status}`} data-testid="status" data-status={status}>
      {l.status(status)}
    </span>
  );
}

/** A value recorded by the system (eligibility data, stage data) shown as text. */
export function formatValue(value: unknown, i: ReturnType<typeof useI18n>): string {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'boolean') return value ? i.t('common.yes') : i.t('common.no');
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) return i.date(value);
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(value)) return i.dateTime(value);
  if (typeof value === 'number') return i.number(value);
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.length === 0 ? '—' : value.map((v) => formatValue(v, i)).join(', ');
  if (typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => `${k}: ${formatValue(v, i)}`)
      .join(' · ');
  }
  // Nothing else comes from JSON; a bigint would print as its digits.
  return typeof value === 'bigint' ? value.toString() : '—';
}

/**
 * Eligibility reasons as sentences with their figures (考核结果合格, 现任等级 5 级，满 3 年); the rule and the record data
 * it read are behind a "依据" toggle, for whoever checks the decision.
 */
export function EligibilityList({ reasons }: { reasons: EligibilityReason[] }) {
  const i = useI18n();
  return (
    <ul className="reasons" data-testid="eligibility-reasons">
      {reasons.map((r) => (
        <li key={r.ruleId} className={r.passed ? 'passed' : 'failed'} data-rule={r.ruleId}>
          <span className="reason-mark" aria-hidden="true">
            {r.passed ? '✓' : '✗'}
          </span>
          <span className="visually-hidden">{r.passed ? i.t('eligibility.passed') : i.t('eligibility.failed')}</span>
          <span className="reason-text">{i.loc(r.detail)}</span>
          <details className="reason-basis">
            <summary>{i.t('eligibility.basis')}</summary>
            <code className="rule-id">{r.ruleId}</code>
            {Object.keys(r.data ?? {}).length > 0 && (
              <dl className="reason-data">
                {Object.entries(r.data).map(([k, v]) => (
                  <div key={k}>
                    <dt>{k}</dt>
                    <dd>{formatValue(v, i)}</dd>
                  </div>
                ))}
              </dl>
            )}
          </details>
        </li>
      ))}
    </ul>
  );
}

/** A labelled control with its error beside it. */
export function Field({
  label,
  error,
  hint,
  required,
  children,
  id,
}: {
  label: string;
  error?: string;
  hint?: string;
  required?: boolean;
  id: string;
  children: ReactNode;
}) {
  const { t } = useI18n();
  return (
    <div className={`field${error ? ' has-error' : ''}`}>
      <label htmlFor={id}>
        {label}
        {required && (
          <span className="required" title={t('form.required')}>
            {' '}
            *
          </span>
        )}
      </label>
      {children}
      {hint && (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {error && (
        <p className="field-error" id={`${id}-error`} role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

/** Comment box used by most actions. */
export function CommentField({
  value,
  onChange,
  required,
  error,
  label,
}: {
  value: string;
  onChange: (v: string) => void;
  required?: boolean;
  error?: string;
  label?: string;
}) {
  const { t } = useI18n();
  const id = useId();
  return (
    <Field id={id} label={label ?? t('form.comment')} required={required} error={error}>
      <textarea
        id={id}
        value={value}
        rows={3}
        maxLength={4000}
        aria-required={required || undefined}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        onChange={(e) => onChange(e.target.value)}
      />
    </Field>
  );
}

/** Catches rendering errors so a bug shows a message, never a blank page. */
export class ErrorBoundary extends Component<
  { children: ReactNode; fallback: (error: Error, reset: () => void) => ReactNode },
  { error: Error | null }
> {
  override state: { error: Error | null } = { error: null };
  static getDerivedStateFromError(error: Error) {
    return { error };
  }
  override componentDidCatch(error: Error, info: ErrorInfo) {
    // Kept for the developer's console; the user sees the fallback.
    console.warn('render error', error, info.componentStack);
  }
  override render() {
    return this.state.error ? this.props.fallback(this.state.error, () => this.setState({ error: null })) : this.props.children;
  }
}

export function PageTitle({ children }: { children: ReactNode }) {
  return (
    <h1 id="page-title" tabIndex={-1}>
      {children}
    </h1>
  );
}

/** The "more" button of a paged list (usePagedGet); nothing on the last page. */
export function MoreButton({ onMore }: { onMore: (() => void) | undefined }) {
  const { t } = useI18n();
  if (!onMore) return null;
  return (
    <button type="button" className="secondary" onClick={onMore}>
      {t('common.more')}
    </button>
  );
}

/** A list filter: a labelled choice whose first option, "all", is the empty value. */
export function FilterSelect({
  id,
  label,
  value,
  onChange,
  options,
}: {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  options: readonly { value: string; label: string }[];
}) {
  const { t } = useI18n();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">{t('common.all')}</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

/** What a paged list (usePagedGet) shows besides its rows: the error with a retry, the spinner, the total, or "nothing found". */
export function ListState({
  list,
  empty,
  total,
}: {
  list: { error?: unknown; loading: boolean; reload: () => void; items: readonly unknown[] };
  empty: string;
  /** The number of matches, for lists that show it. */
  total?: number;
}) {
  const { t } = useI18n();
  return (
    <>
      {list.error ? <ErrorMessage error={list.error} onRetry={list.reload} /> : null}
      {list.loading && <Loading />}
      {total !== undefined && <p className="count">{t('common.total', { n: total })}</p>}
      {!list.loading && !list.error && list.items.length === 0 && <p className="empty">{empty}</p>}
    </>
  );
}

export interface Column<T> {
  /** The header, and the label of the cell when rows become cards on a phone. */
  label: string;
  cell: (row: T) => ReactNode;
}

/** A table that turns into one card per row on a phone: every cell carries its column's label. */
export function ResponsiveTable<T>({
  rows,
  columns,
  rowKey,
  rowAttributes,
  caption,
  className,
  testId,
}: {
  rows: readonly T[];
  /** Columns left out (false) are not shown. */
  columns: readonly (Column<T> | false)[];
  rowKey: (row: T) => string;
  rowAttributes?: (row: T) => Record<string, string | undefined>;
  caption?: string;
  className?: string;
  testId?: string;
}) {
  const shown = columns.filter((c): c is Column<T> => c !== false);
  return (
    <div className="table-wrap">
      <table className={className ? `responsive ${className}` : 'responsive'} data-testid={testId}>
        {caption && <caption className="visually-hidden">{caption}</caption>}
        <thead>
          <tr>
            {shown.map((c) => (
              <th key={c.label} scope="col">
                {c.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={rowKey(row)} {...rowAttributes?.(row)}>
              {shown.map((c) => (
                <td key={c.label} data-label={c.label}>
                  {c.cell(row)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The rule set by its title (江苏省社区工作者管理办法…), not its id. */
export function RuleSetName({ ruleSet }: { ruleSet: { id: string; version: number } }) {
  const i = useI18n();
  const current = useRuleSet();
  const known = current.data && current.data.id === ruleSet.id && current.data.version === ruleSet.version ? current.data : null;
  return <>{known ? i.loc(known.title) : i.t('case.ruleSetOther', { version: ruleSet.version })}</>;
}
