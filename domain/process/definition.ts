import type { z } from 'zod';
import type { Period } from '../calendar';
import { isIsoDate } from '../dates';
import type { Json } from '../history';
import type { Localized } from '../localized';
import type { ActorSpec } from '../org';
import type { Provenance } from '../rules/provenance';
import type { STAGE_MODES } from './vocabulary';
import { approvalOf, scaleOf, type CollectiveDecisionRules, type HeadcountVoteRules, type RuleSet } from '../rules/rule-set';

/**
 * Process definitions are data: a case type is one `ProcessDefinition` (in domain/case-types/), and the
 * engine runs any of them. When a case starts, its definition is frozen into a JSON `ProcessSnapshot` with
 * every period resolved from the active rule set, so later edits to code or rules never change a running case.
 */

/**
 * How the people assigned to a stage decide (STAGE_MODES):
 * - single (单人审批): one responsible officer decides;
 * - any (或签): every holder of the role is assigned, the first decision wins;
 * - all (会签): everyone must approve, one rejection rejects;
 * - collective (集体研究决定): the members of a party committee decide at a meeting, which one of them records
 *   once, with its minutes: who should attend (应到: the body's members), who attended (实到), absences with their
 *   reasons, recusals, each member's vote, the resolution. Quorum and passing share are the rule set's
 *   (collectiveDecision), counted against 应到;
 * - vote: the first form of collective decision, kept as it was for the cases whose definitions use it (members
 *   vote one by one online; the majority of votes cast decides). No current definition uses it.
 */
export type StageMode = (typeof STAGE_MODES)[number];

/**
 * decision: a decision that counts for separation of duties; record: an officer records facts or a
 * statement; follow_up: after the decision, e.g. verifying a correction or a return visit (case status
 * follow_up). Record and follow-up stages can only be confirmed, not rejected.
 */
export type StageKind = 'decision' | 'record' | 'follow_up';

/** What happens when a stage's deadline passes with no decision. */
export type ExpiryAction = 'escalate' | 'auto-approve' | 'auto-reject' | 'none';

/**
 * Who decides a stage: a key of the rule set's approval matrix ("promotion.street-decision"), or one chosen by a
 * payload field (the handler of a name clearing follows the body that verified the complaint). Definitions of
 * earlier versions name the department itself (ActorSpec); they are kept as they ran.
 */
export type ActorRef = string | { byPayload: string; approvals: Record<string, string> } | ActorSpec;

export interface VoteRule {
  /** Share of assigned members that must have voted before the vote can be closed (e.g. 2/3). */
  quorum: number;
  /** The proposal passes when votes for exceed this share of the votes cast (0.5: simple majority). */
  passShare: number;
}

/** A condition on the case: payload, subject record, or data recorded at earlier stages. */
export type Condition =
  | { path: string; equals: Json }
  | { path: string; in: Json[] }
  | { path: string; exists: boolean }
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition };

/** A piece of data an officer records at a stage (exam scores, a ruling, visit notes). */
export interface FieldSpec {
  name: string;
  title: Localized;
  type: 'string' | 'number' | 'boolean' | 'date' | 'enum';
  required?: boolean;
  options?: string[];
  min?: number;
  max?: number;
  /** A range of the rule set (scales), resolved into min and max when the case starts. */
  scale?: string;
  /** Where the finding this field records is required (e.g. the five conditions of 容错). */
  provenance?: Provenance;
}

/**
 * Data that decides the stage by itself: when the recorded data meets `when` (a condition on `data.<field>`), the
 * stage does not go on as approved but ends the case (reject) or sends it back to an earlier stage to decide
 * again (backTo), and the reason is recorded.
 */
export interface DecisiveRule {
  when: Condition;
  effect: 'reject' | { backTo: string };
  reason: Localized;
}

/** Key of a period in the rule set (e.g. "promotion.notice"), resolved when the case starts. */
export type PeriodKey = string;

export interface StageDefinition {
  id: string;
  title: Localized;
  kind?: StageKind;
  actor: ActorRef;
  mode: StageMode;
  vote?: VoteRule;
  deadline?: PeriodKey;
  /** Reminders to the assignees, each a period after the stage opens. */
  reminders?: PeriodKey[];
  onExpiry?: ExpiryAction;
  /** Who is added on escalation (earlier versions; now the approval's escalateTo); default: the same department one level up. */
  escalateTo?: ActorSpec;
  /** The stage opens only this long after the previous step (e.g. a return visit after one month). */
  startAfter?: PeriodKey;
  /** The stage is part of the case only when this holds when the case reaches it. */
  when?: Condition;
  fields?: FieldSpec[];
  /** Evaluate the case type's eligibility again when this stage opens; an ineligible subject cannot be approved. */
  recheckEligibility?: boolean;
  /** Recorded data that ends the stage otherwise than approved (a failed medical check, a discipline objection). */
  decisive?: DecisiveRule[];
  /**
   * The stage records a vote of people who are not users (the residents' meeting, 居民会议) as numbers: fields
   * entitled, present and votesFor, counted with the rule set's residentsMeeting shares.
   */
  headcountVote?: true;
  /**
   * Who is sent a copy (抄送) once the stage is decided, e.g. the error-tolerance ruling to the organisation and
   * personnel department: the holders of each role, found as a stage's actors are. They become the case's
   * observers: they read the case and its documents and are notified, and never act on it.
   */
  copyTo?: CopyTarget[];
}

/** One addressee of a stage's copies (抄送): a department's role holders, with where the copy is required. */
export interface CopyTarget {
  to: ActorSpec;
  provenance: Provenance;
}

/** A period key, or one chosen by a payload field (e.g. the 公示 length by recruitment track). */
export type PeriodChoice = PeriodKey | { byPayload: string; periods: Record<string, PeriodKey> };

export interface PublicNoticeDefinition {
  /** The notice (公示) opens when this stage approves. */
  afterStage: string;
  period: PeriodChoice;
}

export interface ProcessDefinition<Payload extends z.ZodType = z.ZodType> {
  type: string;
  version: number;
  title: Localized;
  description: Localized;
  /** The schema of what the applicant submits, under a rule set (e.g. an exit names one of its exit reasons). */
  payload: (rules: RuleSet) => Payload;
  stages: StageDefinition[];
  publicNotice?: PublicNoticeDefinition;
  /** The case outcome is this field of this stage's recorded data; default "approved". */
  outcome?: { stage: string; field: string };
}

/**
 * A stage as frozen into a running case: periods, who decides, field ranges and the collective-decision rule
 * resolved from the rule set.
 */
export interface StageSnapshot extends Omit<StageDefinition, 'deadline' | 'reminders' | 'startAfter' | 'actor'> {
  actor: ActorSpec;
  deadline?: Period;
  reminders?: Period[];
  startAfter?: Period;
  collective?: CollectiveDecisionRules;
  headcount?: HeadcountVoteRules;
}

export interface ProcessSnapshot {
  type: string;
  version: number;
  title: Localized;
  /** The whole rule set in force when the case started: eligibility re-checks and outcomes use it, not today's. */
  ruleSet: RuleSet;
  payloadSchema: Json;
  stages: StageSnapshot[];
  /** objectionsPause: absent in cases started before it was a rule value, which paused. */
  publicNotice?: { afterStage: string; period: Period; objectionsPause?: boolean };
  outcome?: { stage: string; field: string };
}

/** Looks a period up in the rule set, failing loudly on a key the rule set lacks. */
export type PeriodLookup = (key: PeriodKey) => Period;

/** Every period key a definition refers to, so a rule set can be checked against it at start-up. */
export function periodKeysOf(definition: ProcessDefinition): PeriodKey[] {
  const keys = new Set<PeriodKey>();
  for (const stage of definition.stages) {
    for (const key of [stage.deadline, stage.startAfter, ...(stage.reminders ?? [])]) if (key) keys.add(key);
  }
  const notice = definition.publicNotice?.period;
  if (typeof notice === 'string') keys.add(notice);
  else if (notice) for (const key of Object.values(notice.periods)) keys.add(key);
  return [...keys];
}

/** Every approval key a definition refers to (its whole approval matrix). */
export function approvalKeysOf(definition: ProcessDefinition): string[] {
  const keys = new Set<string>();
  for (const { actor } of definition.stages) {
    if (typeof actor === 'string') keys.add(actor);
    else if ('byPayload' in actor) for (const key of Object.values(actor.approvals)) keys.add(key);
  }
  return [...keys];
}

/** Every scale a definition's fields refer to. */
export function scaleKeysOf(definition: ProcessDefinition): string[] {
  return [...new Set(definition.stages.flatMap((s) => (s.fields ?? []).flatMap((f) => (f.scale ? [f.scale] : []))))];
}

function choosePeriod(choice: PeriodChoice, payload: Record<string, unknown>): PeriodKey {
  if (typeof choice === 'string') return choice;
  const value = String(readPath(payload, choice.byPayload));
  const key = choice.periods[value];
  if (!key) throw new Error(`no period for ${choice.byPayload}="${value}"`);
  return key;
}

/** The department that decides a stage under a rule set, for a case with this payload. */
export function resolveActor(
  actor: ActorRef,
  ruleSet: RuleSet,
  payload: Record<string, unknown>,
): { actor: ActorSpec; escalateTo?: ActorSpec } {
  if (typeof actor !== 'string' && !('byPayload' in actor)) return { actor };
  let key = actor;
  if (typeof actor !== 'string') {
    const value = String(readPath(payload, actor.byPayload));
    const chosen = actor.approvals[value];
    if (!chosen) throw new Error(`no approval for ${actor.byPayload}="${value}"`);
    key = chosen;
  }
  const { escalateTo, ...spec } = approvalOf(ruleSet, key as string);
  return { actor: spec, ...(escalateTo ? { escalateTo } : {}) };
}

/** A stage's fields with the rule set's ranges in place of their scale names. */
export function resolveFields(fields: FieldSpec[] | undefined, ruleSet: RuleSet): FieldSpec[] | undefined {
  return fields?.map(({ scale, ...field }) => (scale ? { ...field, ...scaleOf(ruleSet, scale) } : field));
}

/** A description's text with every {period:key} replaced by the period in force ("5个工作日", "5 working days"). */
export function renderText(text: Localized, ruleSet: RuleSet): Localized {
  const render = (lang: keyof Localized) =>
    text[lang].replace(/\{period:([^}]+)\}/g, (_m, key: string) => {
      const period = ruleSet.periods[key];
      if (!period) throw new Error(`rule set ${ruleSet.id} has no period "${key}" (named in a text)`);
      return formatPeriod(period, lang);
    });
  return { zh: render('zh'), en: render('en') };
}

export function formatPeriod(period: Period, lang: keyof Localized): string {
  if ('workingDays' in period)
    return lang === 'zh' ? `${period.workingDays}个工作日` : `${period.workingDays} working day${period.workingDays === 1 ? '' : 's'}`;
  if ('days' in period) return lang === 'zh' ? `${period.days}日` : `${period.days} day${period.days === 1 ? '' : 's'}`;
  return lang === 'zh' ? `${period.seconds}秒` : `${period.seconds} second${period.seconds === 1 ? '' : 's'}`;
}

export function snapshotDefinition(
  definition: ProcessDefinition,
  ruleSet: RuleSet,
  period: PeriodLookup,
  payloadSchema: Json,
  payload: Record<string, unknown>,
): ProcessSnapshot {
  return {
    type: definition.type,
    version: definition.version,
    title: definition.title,
    ruleSet,
    payloadSchema,
    stages: definition.stages.map(({ deadline, reminders, startAfter, actor, fields, ...stage }) => {
      const resolved = resolveActor(actor, ruleSet, payload);
      const resolvedFields = resolveFields(fields, ruleSet);
      return {
        ...stage,
        actor: resolved.actor,
        ...(resolved.escalateTo ? { escalateTo: resolved.escalateTo } : {}),
        ...(resolvedFields ? { fields: resolvedFields } : {}),
        ...(deadline ? { deadline: period(deadline) } : {}),
        ...(reminders ? { reminders: reminders.map(period) } : {}),
        ...(startAfter ? { startAfter: period(startAfter) } : {}),
        ...(stage.mode === 'collective' ? { collective: ruleSet.collectiveDecision } : {}),
        ...(stage.headcountVote ? { headcount: ruleSet.residentsMeeting } : {}),
      };
    }),
    ...(definition.publicNotice
      ? {
          publicNotice: {
            afterStage: definition.publicNotice.afterStage,
            period: period(choosePeriod(definition.publicNotice.period, payload)),
            objectionsPause: ruleSet.notice.objectionsPause,
          },
        }
      : {}),
    ...(definition.outcome ? { outcome: definition.outcome } : {}),
  };
}

/**
 * Checks a definition's internal consistency (run at start-up for every registered type): unique stage ids,
 * vote rules on vote stages, notice and outcome stages that exist, field names unique.
 */
export function definitionProblems(definition: ProcessDefinition): string[] {
  const problems: string[] = [];
  const ids = new Set<string>();
  for (const stage of definition.stages) {
    if (ids.has(stage.id)) problems.push(`stage id "${stage.id}" is used twice`);
    ids.add(stage.id);
    if (stage.mode === 'vote' && !stage.vote) problems.push(`vote stage "${stage.id}" has no vote rule`);
    if (stage.vote && (stage.vote.quorum <= 0 || stage.vote.quorum > 1 || stage.vote.passShare < 0 || stage.vote.passShare >= 1)) {
      problems.push(`stage "${stage.id}" has a vote rule outside (0, 1]`);
    }
    if ((stage.kind === 'record' || stage.kind === 'follow_up') && (stage.mode === 'vote' || stage.mode === 'collective')) {
      problems.push(`${stage.kind} stage "${stage.id}" cannot be a vote`);
    }
    if (stage.mode === 'collective' && stage.onExpiry !== undefined && stage.onExpiry !== 'none') {
      // Others added to a committee's meeting would change who should attend (应到).
      problems.push(`collective stage "${stage.id}" cannot ${stage.onExpiry} on expiry`);
    }
    for (const rule of stage.decisive ?? []) {
      if (typeof rule.effect === 'object' && !ids.has(rule.effect.backTo)) {
        problems.push(`stage "${stage.id}" sends back to "${rule.effect.backTo}", which is not an earlier stage`);
      }
    }
    if (stage.headcountVote) {
      for (const name of HEADCOUNT_FIELDS) {
        if (!stage.fields?.some((f) => f.name === name && f.type === 'number' && f.required)) {
          problems.push(`headcount stage "${stage.id}" needs a required number field "${name}"`);
        }
      }
    }
    const names = new Set<string>();
    for (const field of stage.fields ?? []) {
      if (names.has(field.name)) problems.push(`stage "${stage.id}" declares field "${field.name}" twice`);
      names.add(field.name);
      if (field.type === 'enum' && !field.options?.length) problems.push(`enum field "${field.name}" has no options`);
    }
  }
  if (definition.stages.length === 0) problems.push('a process needs at least one stage');
  if (definition.publicNotice && !ids.has(definition.publicNotice.afterStage)) {
    problems.push(`public notice follows unknown stage "${definition.publicNotice.afterStage}"`);
  }
  if (definition.outcome) {
    const stage = definition.stages.find((s) => s.id === definition.outcome?.stage);
    if (!stage) problems.push(`outcome comes from unknown stage "${definition.outcome.stage}"`);
    else if (!stage.fields?.some((f) => f.name === definition.outcome?.field)) {
      problems.push(`outcome field "${definition.outcome.field}" is not a field of stage "${stage.id}"`);
    }
  }
  return problems;
}

/** The numbers a headcount vote records. */
export const HEADCOUNT_FIELDS = ['entitled', 'present', 'votesFor'] as const;

/** Reads a dotted path ("subject.employmentType") from a context object. */
export function readPath(context: unknown, path: string): unknown {
  let value: unknown = context;
  for (const part of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

export function evaluateCondition(condition: Condition, context: unknown): boolean {
  if ('all' in condition) return condition.all.every((c) => evaluateCondition(c, context));
  if ('any' in condition) return condition.any.some((c) => evaluateCondition(c, context));
  if ('not' in condition) return !evaluateCondition(condition.not, context);
  const value = readPath(context, condition.path);
  if ('equals' in condition) return value === condition.equals;
  if ('in' in condition) return condition.in.some((v) => v === value);
  return condition.exists ? value !== undefined && value !== null : value === undefined || value === null;
}

/** Problems with data recorded at a stage, one readable line per field. */
export function fieldProblems(fields: FieldSpec[] | undefined, data: Record<string, unknown> | undefined): string[] {
  const problems: string[] = [];
  const values = data ?? {};
  const known = new Set((fields ?? []).map((f) => f.name));
  for (const name of Object.keys(values)) if (!known.has(name)) problems.push(`data.${name}: not a field of this stage`);
  for (const field of fields ?? []) {
    const value = values[field.name];
    if (value === undefined || value === null || value === '') {
      if (field.required) problems.push(`data.${field.name}: required (${field.title.en})`);
      continue;
    }
    const bad = (expected: string) => problems.push(`data.${field.name}: expected ${expected}`);
    switch (field.type) {
      case 'string':
        if (typeof value !== 'string') bad('a string');
        break;
      case 'boolean':
        if (typeof value !== 'boolean') bad('true or false');
        break;
      case 'date':
        if (!isIsoDate(value)) bad('a calendar date YYYY-MM-DD that exists');
        break;
      case 'enum':
        if (typeof value !== 'string' || !field.options?.includes(value)) bad(`one of ${field.options?.join(', ')}`);
        break;
      case 'number':
        if (typeof value !== 'number' || !Number.isFinite(value)) bad('a number');
        else if ((field.min !== undefined && value < field.min) || (field.max !== undefined && value > field.max)) {
          bad(`a number between ${field.min ?? '-∞'} and ${field.max ?? '∞'}`);
        }
        break;
    }
  }
  return problems;
}

/** JSON Schema of a stage's data fields, for the API's case-type listing. */
export function fieldsJsonSchema(fields: FieldSpec[] | undefined): Json {
  const properties: Record<string, Json> = {};
  for (const f of fields ?? []) {
    const base: Record<string, Json> = {
      title: f.title.en,
      description: f.title.zh,
      ...(f.provenance ? { 'x-provenance': { ...f.provenance } } : {}),
    };
    if (f.type === 'enum') properties[f.name] = { ...base, type: 'string', enum: f.options ?? [] };
    else if (f.type === 'date') properties[f.name] = { ...base, type: 'string', format: 'date' };
    else {
      properties[f.name] = {
        ...base,
        type: f.type,
        ...(f.min !== undefined ? { minimum: f.min } : {}),
        ...(f.max !== undefined ? { maximum: f.max } : {}),
      };
    }
  }
  const required = (fields ?? []).filter((f) => f.required).map((f) => f.name);
  return { type: 'object', properties, required, additionalProperties: false };
}
