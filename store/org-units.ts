import type { OrgLevel } from '../domain/org';
import type { Db } from './db';

/** The organisation tree: areas (province … community) and their departments, each with its materialised path. */
export interface OrgUnitEntry {
  id: string;
  name: string;
  level: OrgLevel;
  kind: 'area' | 'department';
  departmentType: string | null;
  parentId: string | null;
  /** Materialised path of ids ("/js/nj/gl/"): a subtree is everything whose path starts with it. */
  path: string;
}

export function orgUnitStore(db: Db) {
  return {
    /** One unit, or null. */
    async get(orgUnitId: string): Promise<OrgUnitEntry | null> {
      return db.orgUnit.findUnique({ where: { id: orgUnitId }, omit: { createdAt: true } });
    },

    /** Every unit, parents first. */
    async list(): Promise<OrgUnitEntry[]> {
      return db.orgUnit.findMany({ orderBy: { path: 'asc' }, omit: { createdAt: true } });
    },
  };
}

export type OrgUnitStore = ReturnType<typeof orgUnitStore>;
