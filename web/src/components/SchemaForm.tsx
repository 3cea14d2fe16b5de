import { useI18n } from '../i18n';
import type { JsonSchema } from '../json-schema';
import { Field } from './common';

/**
 * A form generated from a JSON Schema object (a case type's payload, or the data recorded at a stage): enums as
 * selects, booleans as checkboxes, dates as date inputs, numbers, and text inputs or textareas for long text.
 */

export type FormValues = Record<string, unknown>;

export interface SchemaFormProps {
  schema: JsonSchema;
  values: FormValues;
  onChange: (values: FormValues) => void;
  errors?: Record<string, string>;
  /** Unique per form on the page, for element ids. */
  idPrefix: string;
  label: (name: string, property: JsonSchema) => string;
  optionLabel: (name: string, value: string) => string;
  /** Choices known elsewhere, with their labels (e.g. exit reasons, titled in the rule set). */
  choices?: (name: string) => { value: string; label: string }[] | undefined;
}

const DATE_PATTERN = '^\\d{4}-\\d{2}-\\d{2}$';

export type FieldKind = 'enum' | 'boolean' | 'date' | 'number' | 'textarea' | 'text';

export function fieldKind(p: JsonSchema): FieldKind {
  if (p.enum) return 'enum';
  if (p.type === 'boolean') return 'boolean';
  if (p.type === 'number' || p.type === 'integer') return 'number';
  if (p.format === 'date' || p.pattern === DATE_PATTERN) return 'date';
  // Long text (or text without a stated limit, as recorded findings and notes are) gets a textarea.
  if (p.maxLength === undefined || p.maxLength > 200) return 'textarea';
  return 'text';
}

/** The starting values: schema defaults, and false for required booleans (a checkbox always has a value). */
export function initialValues(schema: JsonSchema, from: FormValues = {}): FormValues {
  const values: FormValues = {};
  for (const [name, p] of Object.entries(schema.properties ?? {})) {
    if (from[name] !== undefined) values[name] = from[name];
    else if (p.default !== undefined) values[name] = p.default;
    else if (fieldKind(p) === 'boolean' && (schema.required ?? []).includes(name)) values[name] = false;
  }
  return values;
}

/** What is sent: empty optional fields left out. */
export function cleanValues(values: FormValues): FormValues {
  const out: FormValues = {};
  for (const [k, v] of Object.entries(values)) {
    if (v === undefined || v === null) continue;
    if (typeof v === 'string' && v.trim() === '') continue;
    out[k] = typeof v === 'string' ? v.trim() : v;
  }
  return out;
}

/** Required fields left empty, before anything is sent. */
export function missingRequired(schema: JsonSchema, values: FormValues): string[] {
  return (schema.required ?? []).filter((name) => {
    const v = values[name];
    return v === undefined || v === null || (typeof v === 'string' && v.trim() === '');
  });
}

export function SchemaForm({ schema, values, onChange, errors = {}, idPrefix, label, optionLabel, choices }: SchemaFormProps) {
  const { t } = useI18n();
  const required = new Set(schema.required ?? []);
  const set = (name: string, value: unknown) => onChange({ ...values, [name]: value });
  return (
    <div className="schema-form">
      {Object.entries(schema.properties ?? {}).map(([name, p]) => {
        const id = `${idPrefix}-${name}`;
        const error = errors[name];
        const isRequired = required.has(name);
        const common = {
          id,
          name,
          'aria-required': isRequired || undefined,
          'aria-invalid': error ? true : undefined,
          'aria-describedby': error ? `${id}-error` : undefined,
        } as const;
        const value = values[name];
        const kind = fieldKind(p);
        const known = kind === 'text' || kind === 'textarea' || kind === 'enum' ? choices?.(name) : undefined;
        if (kind === 'boolean') {
          return (
            <div key={name} className={`field checkbox${error ? ' has-error' : ''}`}>
              <input {...common} type="checkbox" checked={value === true} onChange={(e) => set(name, e.target.checked)} />
              <label htmlFor={id}>{label(name, p)}</label>
              {error && (
                <p className="field-error" id={`${id}-error`} role="alert">
                  {error}
                </p>
              )}
            </div>
          );
        }
        let control;
        if (kind === 'enum' || known) {
          const options = known ?? (p.enum ?? []).map((v) => ({ value: v, label: optionLabel(name, v) }));
          control = (
            <select {...common} value={typeof value === 'string' ? value : ''} onChange={(e) => set(name, e.target.value || undefined)}>
              {(!isRequired || value === undefined) && <option value="">{t('form.choose')}</option>}
              {options.map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                </option>
              ))}
            </select>
          );
        } else if (kind === 'number') {
          control = (
            <input
              {...common}
              type="number"
              inputMode="decimal"
              min={p.minimum}
              max={p.maximum}
              step="any"
              value={typeof value === 'number' ? String(value) : ''}
              onChange={(e) => set(name, e.target.value === '' ? undefined : Number(e.target.value))}
            />
          );
        } else if (kind === 'date') {
          control = (
            <input
              {...common}
              type="date"
              value={typeof value === 'string' ? value : ''}
              onChange={(e) => set(name, e.target.value || undefined)}
            />
          );
        } else if (kind === 'textarea') {
          control = (
            <textarea
              {...common}
              rows={4}
              maxLength={p.maxLength}
              value={typeof value === 'string' ? value : ''}
              onChange={(e) => set(name, e.target.value)}
            />
          );
        } else {
          control = (
            <input
              {...common}
              type="text"
              maxLength={p.maxLength}
              value={typeof value === 'string' ? value : ''}
              onChange={(e) => set(name, e.target.value)}
            />
          );
        }
        return (
          <Field key={name} id={id} label={label(name, p)} required={isRequired} error={error}>
            {control}
          </Field>
        );
      })}
    </div>
  );
}
