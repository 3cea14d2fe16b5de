/**
 * The /api/v1 responses the UI reads, as the API declares them: each type is inferred from the API's own zod
 * schema (api/schemas.ts, which the OpenAPI document is built from). The imports are type-only, so no server
 * code reaches the bundle. Where a schema leaves a part open (`unknown`, or a JSON Schema document), the UI
 * reads it as the domain type the server fills it from, named below.
 */

import type { z } from 'zod';
import type * as Api from '../../api/schemas';
import type { CaseReadModel } from '../../domain/process/read-model';
import type { RuleSet } from '../../domain/rules/rule-set';
import { CASE_STATUSES, FINAL_STATUSES, type CaseStatus } from '../../domain/process/vocabulary';
import type { JsonSchema } from './json-schema';

export {
  CASE_ACTIONS,
  CASE_EVENTS,
  CASE_STATUSES,
  FINAL_STATUSES,
  type CaseAction,
  type CaseStatus,
} from '../../domain/process/vocabulary';
export const OPEN_STATUSES: readonly CaseStatus[] = CASE_STATUSES.filter((s) => !FINAL_STATUSES.includes(s));

export type Localized = z.infer<typeof Api.Localized>;
export type Problem = z.infer<typeof Api.Problem>;
export type CaseView = z.infer<typeof Api.CaseView>;
export type CaseReference = z.infer<typeof Api.CaseReferences>[number];
export type NotificationPage = z.infer<typeof Api.NotificationPage>;
export type NotificationPreferences = z.infer<typeof Api.NotificationPreferences>;
export type WebhookTarget = z.infer<typeof Api.WebhookTarget>;
export type NotificationDeliveries = z.infer<typeof Api.NotificationDeliveries>;
export type UserEmail = z.infer<typeof Api.UserEmail>;
export type CaseSummary = z.infer<typeof Api.CaseSummary>;
export type BatchApprovalResult = z.infer<typeof Api.BatchApprovalResult>;
export type PromotionRound = z.infer<typeof Api.RoundView>;
export type AnnualAssessment = z.infer<typeof Api.AssessmentView>;
export type AnnualAssessmentStep = z.infer<typeof Api.AssessmentStepResult>;
export type CasePage = z.infer<typeof Api.CasePage>;
export type InboxPage = z.infer<typeof Api.InboxPage>;
export type CaseEvent = z.infer<typeof Api.CaseEvent>;
export type CaseEventList = z.infer<typeof Api.CaseEventList>;
export type Delegation = z.infer<typeof Api.Delegation>;
export type DelegationList = z.infer<typeof Api.DelegationList>;
export type AuditEventPage = z.infer<typeof Api.AuditEventPage>;
export type LedgerLatest = z.infer<typeof Api.LedgerLatestCheckpoint>;
export type Verification = z.infer<typeof Api.Verification>;
export type EligibilityReason = z.infer<typeof Api.EligibilityReason>;
export type Eligibility = z.infer<typeof Api.Eligibility>;
export type User = z.infer<typeof Api.User>;
export type UserList = z.infer<typeof Api.UserList>;
export type DemoUserList = z.infer<typeof Api.DemoUserList>;
export type DemoUser = DemoUserList['items'][number];
export type DemoLogin = z.infer<typeof Api.DemoLogin>;
export type AuthConfig = z.infer<typeof Api.AuthConfig>;
export type OrgUnit = z.infer<typeof Api.OrgUnit>;
export type OrgUnitList = z.infer<typeof Api.OrgUnitList>;
export type WorkerSummary = z.infer<typeof Api.WorkerSummary>;
export type WorkerPage = z.infer<typeof Api.WorkerPage>;
export type WorkerDetail = z.infer<typeof Api.WorkerDetail>;
export type NationalIdReveal = z.infer<typeof Api.NationalIdReveal>;

/** A part of a response the schema leaves open, read as the type the server fills it from. */
type Reading<T, Parts extends Partial<Record<keyof T, unknown>>> = Omit<T, keyof Parts> & Parts;

type PublishedCaseType = z.infer<typeof Api.CaseType>;
/** A case type: its payload and stage-data schemas are JSON Schema documents, which the forms read. */
export type CaseType = Reading<
  PublishedCaseType,
  { payloadSchema: JsonSchema; stages: Reading<PublishedCaseType['stages'][number], { dataSchema: JsonSchema }>[] }
>;
export type CaseTypeList = Reading<z.infer<typeof Api.CaseTypeList>, { items: CaseType[] }>;

/** The rule set in force: the schema declares its head; the UI also reads the exit situations (domain/rules). */
export type RuleSetInfo = z.infer<typeof Api.RuleSetView> & Partial<Pick<RuleSet, 'exit'>>;

/**
 * The dossier: the payload is the case's (as in CaseView), stage data and objections the read model's (domain/process/read-model.ts), the eligibility
 * at submission and at each re-check the API's Eligibility, with the re-check's event position.
 */
export type Dossier = Reading<
  z.infer<typeof Api.Dossier>,
  {
    payload: CaseView['payload'];
    stageData: CaseReadModel['stageData'];
    objections: CaseReadModel['objections'];
    eligibility: { atSubmission: Eligibility | null; rechecks: (Eligibility & Pick<CaseEvent, 'seq' | 'at' | 'stage'>)[] };
  }
>;
export type Attachment = z.infer<typeof Api.Attachment>;
export type AttachmentList = z.infer<typeof Api.AttachmentList>;
export type DocumentList = z.infer<typeof Api.DocumentList>;
export type PublicNoticeList = z.infer<typeof Api.PublicNoticeList>;
export type PublicChallenge = z.infer<typeof Api.PublicChallenge>;
