import { Fragment, type ReactNode } from 'react';
import { formatValue } from '../components/common';
import { fieldKind } from '../components/SchemaForm';
import type { JsonSchema } from '../json-schema';
import { labels, useI18n } from '../i18n';

/** Labels of a case type's payload fields (translated; the raw name when a field is new). */
export function usePayloadLabels(type: string) {
  const i = useI18n();
  const l = labels(i);
  return {
    field: (name: string) => l.field(type, name),
    /** "payload.kind" → the field's label, for error lists. */
    path: (path: string) => {
      const m = /^payload\.(.+)$/.exec(path);
      if (m?.[1]) return l.field(type, m[1]);
      if (path === 'subjectId') return i.t('submit.subject');
      return path;
    },
  };
}

/** Recorded values (a payload, or a stage's data) as a definition list, labelled from the schema. */
export function ValuesList({
  values,
  schema,
  label,
  testId,
  render,
}: {
  values: Record<string, unknown>;
  schema?: JsonSchema;
  label: (name: string, property?: JsonSchema) => string;
  testId?: string;
  /** A field shown otherwise than as recorded (an id as what it names); undefined: as recorded. */
  render?: (name: string) => ReactNode | undefined;
}) {
  const i = useI18n();
  const l = labels(i);
  const entries = Object.entries(values ?? {});
  if (entries.length === 0) return <p className="muted">{i.t('common.none')}</p>;
  return (
    <dl className="values" data-testid={testId}>
      {entries.map(([name, value]) => {
        const property = schema?.properties?.[name];
        const shown =
          render?.(name) ??
          (property && fieldKind(property) === 'enum' && typeof value === 'string' ? l.option(name, value) : formatValue(value, i));
        return (
          <Fragment key={name}>
            <dt>{label(name, property)}</dt>
            <dd className={typeof value === 'string' && value.length > 80 ? 'long' : undefined}>{shown}</dd>
          </Fragment>
        );
      })}
    </dl>
  );
}

/** A stage's data field label: the API gives the English title and the Chinese description. */
export function stageFieldLabel(lang: string, name: string, property?: JsonSchema): string {
  if (!property) return name;
  return (lang === 'en' ? property.title : property.description) ?? property.title ?? name;
}
