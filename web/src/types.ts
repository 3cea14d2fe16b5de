/** Shapes of the /api/v1 responses the UI reads (see GET /openapi.json for the full contract). */

// Type-only from the engine: its code stays out of the bundle.
import type { Objection } from '../../domain/process/engine';
import { CASE_STATUSES, FINAL_STATUSES, type CaseAction, type CaseStatus } from '../../domain/process/vocabulary';

export interface Localized {
  zh: string;
  en: string;
}

export { CASE_ACTIONS, CASE_EVENTS, CASE_STATUSES, FINAL_STATUSES, type CaseAction, type CaseStatus } from '../../domain/process/vocabulary';
export const OPEN_STATUSES: readonly CaseStatus[] = CASE_STATUSES.filter((s) => !FINAL_STATUSES.includes(s));

export interface CaseSummary {
  id: string;
  type: string;
  status: CaseStatus;
  outcome: string | null;
  subject: { id: string; name: string };
  orgUnitId: string;
  applicantId: string;
  currentStage: { id: string; title: Localized; mode: string } | null;
  assignees: string[];
  dueAt: string | null;
  overdue: boolean;
  submittedAt: string;
  decidedAt: string | null;
  updatedAt: string;
}

export interface CaseView extends CaseSummary {
  payload: Record<string, unknown>;
  ruleSet: { id: string; version: number };
  definitionVersion: number;
  lastSeq: number;
  allowedActions: CaseAction[];
}

export interface Page<T> {
  items: T[];
  total: number;
  nextCursor: string | null;
}

export interface CaseEvent {
  caseId: string;
  seq: number;
  at: string;
  actorId: string | null;
  action: string;
  fromStatus: CaseStatus | null;
  toStatus: CaseStatus;
  stage: string | null;
  comment: string | null;
  data: unknown;
  prevHash: string;
  hash: string;
}

export interface JsonSchema {
  type?: string;
  title?: string;
  description?: string;
  enum?: string[];
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  default?: unknown;
  properties?: Record<string, JsonSchema>;
  required?: string[];
}

export interface StageType {
  id: string;
  title: Localized;
  kind: 'decision' | 'record' | 'follow_up';
  mode: 'single' | 'any' | 'all' | 'vote';
  actor: { level: string; department: string; role: string };
  deadline: string | null;
  condition: unknown;
  dataSchema: JsonSchema;
}

export interface CaseType {
  type: string;
  version: number;
  title: Localized;
  description: Localized;
  payloadSchema: JsonSchema;
  stages: StageType[];
  publicNotice: { afterStage: string; period: unknown } | null;
}

export interface EligibilityReason {
  ruleId: string;
  passed: boolean;
  detail: Localized;
  data: Record<string, unknown>;
}

export interface Eligibility {
  eligible: boolean;
  reasons: EligibilityReason[];
}

export type { Objection };

export interface DossierStage {
  id: string;
  title: Localized;
  kind: string;
  mode: string;
  deadline: unknown;
}

export interface Dossier {
  case: CaseSummary;
  subject: { id: string; name: string; nationalId: string; orgUnit: { id: string; name: string }; postType: string; grade: number; status: string };
  payload: Record<string, unknown>;
  process: { type: string; version: number; title: Localized; ruleSet: { id: string; version: number }; stages: DossierStage[]; publicNotice: { afterStage: string } | null };
  stageData: Record<string, Record<string, unknown>>;
  decisions: CaseEvent[];
  votes: CaseEvent[];
  objections: Objection[];
  suspensions: { from: string; to: string | null }[];
  eligibility: { atSubmission: Eligibility | null; rechecks: (Eligibility & { seq: number; at: string; stage: string | null })[] };
  events: CaseEvent[];
  chain: { lastSeq: number; lastHash: string };
}

export interface Verification {
  ok: boolean;
  checked: number;
  cases: number;
  firstBroken?: { caseId: string; seq: number; reason: string };
}

export interface RoleGrant {
  role: string;
  orgUnitId: string;
}

export interface User {
  id: string;
  name: string;
  roles: RoleGrant[];
}

export interface DemoUser {
  id: string;
  name: string;
  roles: (RoleGrant & { orgUnitName: string })[];
}

export interface OrgUnit {
  id: string;
  name: string;
  level: string;
  kind: string;
  departmentType: string | null;
  parentId: string | null;
  path: string;
}

export interface WorkerSummary {
  id: string;
  name: string;
  gender: 'male' | 'female';
  nationalId: string;
  orgUnitId: string;
  postType: string;
  employmentType: string;
  grade: number;
  gradeSince: string;
  status: string;
}

export interface WorkerDetail extends WorkerSummary {
  birthDate: string;
  education: string;
  hireDate: string;
  postSince: string;
  userId: string | null;
  qualification: { level: string; obtainedOn: string | null; eligibleSince: string | null };
  assessments: { year: number; result: string }[];
  disciplinary: { id: string; kind: string; startDate: string; endDate: string | null; reason: string }[];
  gradeHistory: { fromGrade: number; toGrade: number; effectiveFrom: string; reason: string; caseId: string | null }[];
  awards: { title: string; level: string; awardedOn: string; caseId: string | null }[];
  errorToleranceRulings: { caseId: string; ruling: string; incidentDate: string; correctionRequired: boolean; correctionVerifiedOn: string | null; decidedOn: string }[];
  nameClearances: { caseId: string; accusationRef: string; method: string; findingSummary: string; clearedOn: string }[];
  returnVisits: { caseId: string | null; visitedOn: string; officerId: string; notes: string }[];
  statusChanges: { fromStatus: string; toStatus: string; reason: string; effectiveFrom: string; caseId: string | null }[];
  qualificationDeadline: { deadline: string; daysLeft: number; overdue: boolean; warn: boolean } | null;
  exitTriggers: { reasonCode: string; ruleId: string; detail: Localized; data: Record<string, unknown> }[];
}

export interface AuthConfig {
  demoLogin: boolean;
  oidc: { authorizationUrl: string; tokenUrl: string; clientId: string; scope: string } | null;
}

export interface RuleSetInfo {
  id: string;
  version: number;
  title: Localized;
  exit?: { reasons?: { code: string; title: Localized }[] };
}
