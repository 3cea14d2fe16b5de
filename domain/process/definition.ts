import type { z } from 'zod';
import type { Period } from '../calendar';
import { isIsoDate } from '../dates';
import type { Json } from '../history';
import type { Localized } from '../localized';
import type { ActorSpec } from '../org';
import type { RuleSet } from '../rules/rule-set';

/**
 * Process definitions are data: a case type is one `ProcessDefinition` (in domain/case-types/), and the
 * engine runs any of them. When a case starts, its definition is frozen into a JSON `ProcessSnapshot` with
 * every period resolved from the active rule set, so later edits to code or rules never change a running case.
 */

/**
 * How the people assigned to a stage decide:
 * - single: one responsible officer decides;
 * - any (或签): every holder of the role is assigned, the first decision wins;
 * - all (会签): everyone must approve, one rejection rejects;
 * - vote (集体研究): members vote for / against / abstain, a member closes the vote with the minutes once the
 *   quorum has voted, and the majority of votes cast decides.
 */
export type StageMode = 'single' | 'any' | 'all' | 'vote';

/**
 * decision: a decision that counts for separation of duties; record: an officer records facts or a
 * statement; follow_up: after the decision, e.g. verifying a correction or a return visit (case status
 * follow_up). Record and follow-up stages can only be confirmed, not rejected.
 */
export type StageKind = 'decision' | 'record' | 'follow_up';

/** What happens when a stage's deadline passes with no decision. */
export type ExpiryAction = 'escalate' | 'auto-approve' | 'auto-reject' | 'none';

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
}

/** Key of a period in the rule set (e.g. "promotion.notice"), resolved when the case starts. */
export type PeriodKey = string;

export interface StageDefinition {
  id: string;
  title: Localized;
  kind?: StageKind;
  actor: ActorSpec;
  mode: StageMode;
  vote?: VoteRule;
  deadline?: PeriodKey;
  /** Reminders to the assignees, each a period after the stage opens. */
  reminders?: PeriodKey[];
  onExpiry?: ExpiryAction;
  /** Who is added on escalation; default: the same department one level up. */
  escalateTo?: ActorSpec;
  /** The stage opens only this long after the previous step (e.g. a return visit after one month). */
  startAfter?: PeriodKey;
  /** The stage is part of the case only when this holds when the case reaches it. */
  when?: Condition;
  fields?: FieldSpec[];
  /** Evaluate the case type's eligibility again when this stage opens; an ineligible subject cannot be approved. */
  recheckEligibility?: boolean;
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

/** A stage as frozen into a running case: periods resolved. */
export interface StageSnapshot extends Omit<StageDefinition, 'deadline' | 'reminders' | 'startAfter'> {
  deadline?: Period;
  reminders?: Period[];
  startAfter?: Period;
}

export interface ProcessSnapshot {
  type: string;
  version: number;
  title: Localized;
  /** The whole rule set in force when the case started: eligibility re-checks and outcomes use it, not today's. */
  ruleSet: RuleSet;
  payloadSchema: Json;
  stages: StageSnapshot[];
  publicNotice?: { afterStage: string; period: Period };
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

function choosePeriod(choice: PeriodChoice, payload: Record<string, unknown>): PeriodKey {
  if (typeof choice === 'string') return choice;
  const value = String(readPath(payload, choice.byPayload));
  const key = choice.periods[value];
  if (!key) throw new Error(`no period for ${choice.byPayload}="${value}"`);
  return key;
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
    stages: definition.stages.map(({ deadline, reminders, startAfter, ...stage }) => ({
      ...stage,
      ...(deadline ? { deadline: period(deadline) } : {}),
      ...(reminders ? { reminders: reminders.map(period) } : {}),
      ...(startAfter ? { startAfter: period(startAfter) } : {}),
    })),
    ...(definition.publicNotice
      ? {
          publicNotice: {
            afterStage: definition.publicNotice.afterStage,
            period: period(choosePeriod(definition.publicNotice.period, payload)),
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
    if ((stage.kind === 'record' || stage.kind === 'follow_up') && stage.mode === 'vote') {
      problems.push(`${stage.kind} stage "${stage.id}" cannot be a vote`);
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
    const base: Record<string, Json> = { title: f.title.en, description: f.title.zh };
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
