import { useCallback, useEffect, useRef, useState } from 'react';
import { api, query } from './api';
import { useI18n } from './i18n';
import type { CaseTypeList, OrgUnitList, RuleSetInfo, UserList } from './types';

export interface Loadable<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload: () => void;
}

/**
 * GETs a path (null: nothing yet) and keeps its data, error and loading state; a new path aborts the old
 * request. A new `version` fetches the same path again, showing the old data meanwhile.
 */
export function useGet<T>(path: string | null, version?: string | number | null): Loadable<T> {
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>({ loading: path !== null });
  const [generation, setGeneration] = useState(0);
  const lastPath = useRef<string | null>(null);
  useEffect(() => {
    if (path === null) {
      setState({ loading: false });
      return;
    }
    const controller = new AbortController();
    // A reload keeps showing the data it refreshes; another path starts empty.
    const samePath = lastPath.current === path;
    lastPath.current = path;
    setState((s) => ({ data: samePath ? s.data : undefined, loading: true }));
    api<T>(path, { signal: controller.signal }).then(
      (data) => setState({ data, loading: false }),
      (error: unknown) => {
        if ((error as Error).name !== 'AbortError') setState({ error, loading: false });
      },
    );
    return () => controller.abort();
  }, [path, generation, version]);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return { data: state.data, error: state.error, loading: state.loading, reload };
}

/** A page of a list as the API answers it (CasePage, WorkerPage, AuditEventPage, …). */
interface ListPage {
  items: unknown[];
  nextCursor: string | null;
}

type ItemOf<P extends ListPage> = P['items'][number];

export interface PagedList<P extends ListPage> extends Loadable<P> {
  /** Every item read so far: the earlier pages, then the current one. */
  items: ItemOf<P>[];
  /** Reads the next page after the items so far; undefined on the last page. */
  more: (() => void) | undefined;
  /** Starts over from the first page and reads it again. */
  refresh: () => void;
}

/**
 * A list read page by page with "more". Other filters start it over: the reset happens while rendering, so
 * no request goes out with the old cursor. A null path reads nothing (a list on a tab not shown).
 */
export function usePagedGet<P extends ListPage>(
  path: string | null,
  filters: Record<string, string | number | undefined | null>,
): PagedList<P> {
  const key = `${path}${query(filters)}`;
  const [state, setState] = useState<{ key: string; cursor: string | null; earlier: ItemOf<P>[] }>({ key, cursor: null, earlier: [] });
  const current = state.key === key ? state : { key, cursor: null, earlier: [] };
  if (current !== state) setState(current);
  const page = useGet<P>(path === null ? null : `${path}${query({ ...filters, cursor: current.cursor })}`);
  const items: ItemOf<P>[] = [...current.earlier, ...(page.data?.items ?? [])];
  const next = page.data?.nextCursor;
  return {
    ...page,
    items,
    more: next ? () => setState({ key, cursor: next, earlier: items }) : undefined,
    refresh() {
      setState({ key, cursor: null, earlier: [] });
      page.reload();
    },
  };
}

/** Reference data read once per sign-in and shared by every page. */
const cache = new Map<string, Promise<unknown>>();

export function clearReferenceCache(): void {
  cache.clear();
}

function useShared<T>(path: string): Loadable<T> {
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>({ loading: true });
  const [generation, setGeneration] = useState(0);
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    let promise = cache.get(path) as Promise<T> | undefined;
    if (!promise) {
      promise = api<T>(path);
      cache.set(path, promise);
      promise.catch(() => cache.delete(path));
    }
    promise.then(
      (data) => mounted.current && setState({ data, loading: false }),
      (error: unknown) => mounted.current && setState({ error, loading: false }),
    );
    return () => {
      mounted.current = false;
    };
  }, [path, generation]);
  const reload = useCallback(() => {
    cache.delete(path);
    setState({ loading: true });
    setGeneration((g) => g + 1);
  }, [path]);
  return { data: state.data, error: state.error, loading: state.loading, reload };
}

export const useCaseTypes = () => useShared<CaseTypeList>('/case-types');
export const useUsers = () => useShared<UserList>('/users');
export const useOrgUnits = () => useShared<OrgUnitList>('/org-units');
export const useRuleSet = () => useShared<RuleSetInfo>('/rule-set');

/** The case types as filter choices, titled in the user's language. */
export function useCaseTypeChoices(): { value: string; label: string }[] {
  const i = useI18n();
  const types = useCaseTypes();
  return types.data?.items.map((ct) => ({ value: ct.type, label: i.loc(ct.title) })) ?? [];
}

/**
 * A person as people know them, by user id: 姓名（单位·职务）, the unit and role of their first grant (the one they
 * act in); never their login id, which only audit screens show. An id not in the directory stays as it is.
 */
export function useUserNames(): (id: string | null | undefined) => string {
  const i = useI18n();
  const users = useUsers();
  const units = useOrgUnits();
  return useCallback(
    (id) => {
      if (!id) return '';
      const user = users.data?.items.find((u) => u.id === id);
      if (!user) return id;
      const grant = user.roles[0];
      if (!grant) return user.name;
      const unit = units.data?.items.find((u) => u.id === grant.orgUnitId)?.name;
      const role = i.tx(`role.${grant.role}`, grant.role);
      const about = unit ? `${unit}·${role}` : role;
      return i.t('common.nameAbout', { name: user.name, about });
    },
    [users.data, units.data, i],
  );
}

export function useOrgUnitName(): (id: string) => string {
  const units = useOrgUnits();
  return useCallback((id) => units.data?.items.find((u) => u.id === id)?.name ?? id, [units.data]);
}
