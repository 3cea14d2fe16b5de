import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { FieldError } from '../api';
import type { Localized } from '../types';
import { caseTypeTexts } from './case-types';
import en from './en.json';
import zh from './zh-CN.json';

/**
 * Every visible string comes from zh-CN.json or en.json, and each case type's from case-types.ts
 * (test/web/i18n.test.ts keeps them in step and checks every key the code uses). zh-CN is the default; the
 * choice is remembered in localStorage.
 */

export type Lang = 'zh-CN' | 'en';
export const LANGS: Lang[] = ['zh-CN', 'en'];
export type Key = keyof typeof zh;

const DICTIONARIES: Record<Lang, Record<string, string>> = {
  'zh-CN': { ...zh, ...caseTypeTexts('zh') },
  en: { ...en, ...caseTypeTexts('en') },
};
const STORAGE_KEY = 'cases.lang';

function initialLang(): Lang {
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    if (stored === 'en' || stored === 'zh-CN') return stored;
  } catch {
    /* storage blocked */
  }
  return 'zh-CN';
}

type Vars = Record<string, string | number>;

const fill = (text: string, vars?: Vars) =>
  vars ? text.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m)) : text;

export interface I18n {
  lang: Lang;
  setLang: (lang: Lang) => void;
  /** A fixed key. */
  t: (key: Key, vars?: Vars) => string;
  /** A key built from an API identifier (a status, an action, a field); the fallback when it has no translation. */
  tx: (key: string, fallback: string, vars?: Vars) => string;
  /** A localized title from the API. */
  loc: (value: Localized | null | undefined) => string;
  /** An ISO instant in the user's locale, date and time. */
  dateTime: (iso: string | null | undefined) => string;
  /** The same to the second, for audit trails. */
  dateTimeSeconds: (iso: string | null | undefined) => string;
  /** A calendar date (YYYY-MM-DD) in the user's locale. */
  date: (day: string | null | undefined) => string;
  number: (n: number) => string;
}

const I18nContext = createContext<I18n | null>(null);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(initialLang);
  const setLang = useCallback((next: Lang) => {
    setLangState(next);
    try {
      localStorage.setItem(STORAGE_KEY, next);
    } catch {
      /* storage blocked: the choice lasts for this page */
    }
  }, []);

  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);

  const value = useMemo<I18n>(() => {
    const dict = DICTIONARIES[lang];
    const dateTimeFormat = new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' });
    const secondsFormat = new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'medium' });
    // Calendar dates are local dates: format them at noon UTC in UTC so no time zone shifts the day.
    const dateFormat = new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeZone: 'UTC' });
    // No grouping: the numbers here are years, grades, scores and counts (2025, not 2,025).
    const numberFormat = new Intl.NumberFormat(lang, { useGrouping: false });
    return {
      lang,
      setLang,
      t: (key, vars) => fill(dict[key] ?? key, vars),
      tx: (key, fallback, vars) => fill(dict[key] ?? fallback, vars),
      loc: (v) => (v ? (lang === 'en' ? v.en : v.zh) : ''),
      dateTime: (iso) => {
        if (!iso) return '';
        const d = new Date(iso);
        return Number.isNaN(d.getTime()) ? iso : dateTimeFormat.format(d);
      },
      dateTimeSeconds: (iso) => {
        if (!iso) return '';
        const d = new Date(iso);
        return Number.isNaN(d.getTime()) ? iso : secondsFormat.format(d);
      },
      date: (day) => {
        if (!day) return '';
        const d = new Date(`${day.slice(0, 10)}T12:00:00Z`);
        return Number.isNaN(d.getTime()) ? day : dateFormat.format(d);
      },
      number: (n) => numberFormat.format(n),
    };
  }, [lang, setLang]);

  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useI18n outside I18nProvider');
  return value;
}

/** Translations of the API's identifiers, each with a fallback to the raw identifier. */
export function labels(i: I18n) {
  return {
    status: (s: string) => i.tx(`status.${s}`, s),
    action: (a: string) => i.tx(`action.${a}`, a),
    event: (a: string) => i.tx(`event.${a}`, a),
    role: (r: string) => i.tx(`role.${r}`, r),
    outcome: (o: string) => i.tx(`outcome.${o}`, o),
    level: (l: string) => i.tx(`level.${l}`, l),
    department: (d: string) => i.tx(`department.${d}`, d),
    mode: (m: string) => i.tx(`mode.${m}`, m),
    option: (field: string, value: string) => i.tx(`option.${field}.${value}`, value),
    field: (type: string, name: string, fallback?: string) => i.tx(`field.${type}.${name}`, fallback ?? name),
    worker: (group: string, value: string) => i.tx(`worker.${group}.${value}`, value),
    problem: (type: string) => i.tx(`problem.${type}`, type),
    fieldError: (e: FieldError) => fieldErrorText(i, e),
  };
}

/**
 * A field error from the API in the reader's language, the one place every form takes it from: by its code (zod's
 * issue code, with the limit or format it names; a schema's own check by its key), never the server's English
 * message in the Chinese UI. zod's own zh-CN locale (z.locales.zhCN) was not used: it names types and limits in
 * code ("期望 string >=1 字符") and lists raw option values, which the Chinese UI may not show.
 */
function fieldErrorText(i: I18n, e: FieldError): string {
  const fallback = i.lang === 'en' ? e.message : i.t('fieldError.other');
  if (!e.code) return fallback;
  const vars = { limit: e.limit === undefined ? '' : i.number(e.limit) };
  if (e.code === 'custom') return e.key ? i.tx(`fieldError.custom.${e.key}`, fallback) : fallback;
  const detail = e.code === 'invalid_format' ? e.format : e.origin;
  const general = i.tx(`fieldError.${e.code}`, fallback, vars);
  return detail ? i.tx(`fieldError.${e.code}.${detail}`, general, vars) : general;
}
