import { randomUUID } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import { caseReadModel } from '../store/projection';
import { localDate } from '../domain/calendar';
import { caseTypeOf, eligibilityOf, payloadJsonSchema, snapshotFor } from '../domain/case-types';
import type { ChainedEvent, Json } from '../domain/history';
import { makeNationalId } from '../domain/national-id';
import type { FieldSpec, ProcessSnapshot } from '../domain/process/definition';
import {
  applyCommand,
  assigneesResolved,
  checkCommand,
  eligibilityRechecked,
  isFinal,
  outcomeApplied,
  pendingWork,
  recordedState,
  startCase,
  tick,
  type CaseCommand,
  type CaseInput,
  type CaseState,
  type EligibilitySummary,
  type PendingWork,
} from '../domain/process/engine';
import type { PersonnelRecord } from '../domain/personnel';
import { BUILT_IN_RULE_SETS, type RuleSet } from '../domain/rules';

/**
 * Years of cases, bulk-loaded. Each case is produced by the real engine (domain/process/engine.ts) the way
 * the workflow drives it — assignees resolved from the org tree, approvals, votes, recorded data, public
 * notices, rejections, withdrawals, outcomes — so its events carry a valid hash chain and its read-model row
 * is exactly what the projection activity would write (store/projection.ts caseReadModel). Rows go in
 * with multi-row INSERT … SELECT FROM unnest($1::text[], …), a few thousand rows per statement.
 */

const RULES = BUILT_IN_RULE_SETS['jiangsu-2025'] as RuleSet;
const DAY = 86_400_000;
const HOUR = 3_600_000;

// ------------------------------------------------------------------------------------------------------
// A deterministic random source, so two runs load the same history.

function mulberry32(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// ------------------------------------------------------------------------------------------------------
// The organisation the history belongs to: the demo district plus synthetic streets and communities.

const SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤'.split(
    '',
  );
const GIVEN = '伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超霞平刚桂兰玉华建国志红梅文斌鹏辉宇浩然子轩欣怡晨曦佳琪雨萱思远博文嘉懿俊杰'.split('');
export function historyName(i: number): string {
  const s = SURNAMES[i % SURNAMES.length] as string;
  const g1 = GIVEN[Math.floor(i / SURNAMES.length) % GIVEN.length] as string;
  const g2 = GIVEN[Math.floor(i / (SURNAMES.length * GIVEN.length)) % GIVEN.length] as string;
  return i % 3 === 0 ? `${s}${g1}` : `${s}${g1}${g2}`;
}

interface OrgRow {
  id: string;
  path: string;
  level: string;
  kind: string;
  departmentType: string | null;
  parentId: string | null;
}

export interface HistoryOrg {
  communities: { id: string; path: string; street: string }[];
  workersByCommunity: Map<string, { id: string; name: string }[]>;
  units: Map<string, OrgRow>;
  /** orgUnitId → role → userIds */
  holders: Map<string, Map<string, string[]>>;
}

const WORKERS_PER_COMMUNITY = 20;

/** Adds `streets` synthetic streets (8 communities each, with departments and staff) and history subjects. */
export async function prepareHistoryOrg(pool: Pool, streets: number): Promise<HistoryOrg> {
  const units: OrgRow[] = [];
  const users: { id: string; role: string; orgUnitId: string }[] = [];
  for (let i = 1; i <= streets; i += 1) {
    const s = `s${String(i).padStart(2, '0')}`;
    const sp = `/js/nj/gl/${s}/`;
    units.push({ id: s, path: sp, level: 'street', kind: 'area', departmentType: null, parentId: 'gl' });
    for (const [suffix, type] of [
      ['dgw', 'party_committee'],
      ['bsc', 'street_office'],
      ['jgw', 'discipline'],
    ] as const) {
      units.push({
        id: `${s}-${suffix}`,
        path: `${sp}${s}-${suffix}/`,
        level: 'street',
        kind: 'department',
        departmentType: type,
        parentId: s,
      });
    }
    users.push({ id: `clerk-${s}`, role: 'clerk', orgUnitId: s }, { id: `hr-${s}`, role: 'personnel_officer', orgUnitId: s });
    for (const n of [1, 2, 3]) users.push({ id: `dgw-${s}-${n}`, role: 'approver', orgUnitId: `${s}-dgw` });
    for (const n of [1, 2])
      users.push(
        { id: `bsc-${s}-${n}`, role: 'approver', orgUnitId: `${s}-bsc` },
        { id: `jgw-${s}-${n}`, role: 'approver', orgUnitId: `${s}-jgw` },
      );
    for (let j = 1; j <= 8; j += 1) {
      const c = `${s}c${j}`;
      const cp = `${sp}${c}/`;
      units.push({ id: c, path: cp, level: 'community', kind: 'area', departmentType: null, parentId: s });
      units.push({
        id: `${c}-dzz`,
        path: `${cp}${c}-dzz/`,
        level: 'community',
        kind: 'department',
        departmentType: 'party_organisation',
        parentId: c,
      });
      units.push({
        id: `${c}-jwh`,
        path: `${cp}${c}-jwh/`,
        level: 'community',
        kind: 'department',
        departmentType: 'residents_committee',
        parentId: c,
      });
      users.push(
        { id: `clerk-${c}`, role: 'clerk', orgUnitId: c },
        { id: `sec-${c}`, role: 'approver', orgUnitId: `${c}-dzz` },
        { id: `dep-${c}`, role: 'approver', orgUnitId: `${c}-dzz` },
      );
    }
  }
  const col = <T, K extends keyof T>(rows: T[], k: K) => rows.map((r) => r[k]);
  await pool.query(
    `INSERT INTO "OrgUnit" (id, name, level, kind, "departmentType", "parentId", path)
     SELECT id, id, level::"OrgLevel", kind::"OrgUnitKind", dt, parent, path FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[]) AS t(id, level, kind, dt, parent, path)
     ORDER BY path ON CONFLICT DO NOTHING`,
    [col(units, 'id'), col(units, 'level'), col(units, 'kind'), col(units, 'departmentType'), col(units, 'parentId'), col(units, 'path')],
  );
  await pool.query(`INSERT INTO "User" (id, name) SELECT DISTINCT u, u FROM unnest($1::text[]) AS u ON CONFLICT DO NOTHING`, [
    col(users, 'id'),
  ]);
  await pool.query(
    `INSERT INTO "RoleAssignment" (id, "userId", role, "orgUnitId")
     SELECT gen_random_uuid()::text, u, r, o FROM unnest($1::text[], $2::text[], $3::text[]) AS t(u, r, o) ON CONFLICT DO NOTHING`,
    [col(users, 'id'), col(users, 'role'), col(users, 'orgUnitId')],
  );

  // Everything in the district, seeded and synthetic, as the assignment activity sees it.
  const { rows: allUnits } = await pool.query<OrgRow>(
    `SELECT id, path, level::text, kind::text, "departmentType", "parentId" FROM "OrgUnit"`,
  );
  const { rows: roles } = await pool.query<{ userId: string; role: string; orgUnitId: string }>(
    `SELECT r."userId", r.role, r."orgUnitId" FROM "RoleAssignment" r JOIN "User" u ON u.id = r."userId" WHERE u.active ORDER BY r."userId"`,
  );
  const byId = new Map(allUnits.map((u) => [u.id, u]));
  const holders = new Map<string, Map<string, string[]>>();
  for (const r of roles) {
    const m = holders.get(r.orgUnitId) ?? new Map<string, string[]>();
    m.set(r.role, [...(m.get(r.role) ?? []), r.userId]);
    holders.set(r.orgUnitId, m);
  }
  const communities = allUnits
    .filter((u) => u.level === 'community' && u.kind === 'area' && u.path.startsWith('/js/nj/gl/'))
    .map((u) => ({ id: u.id, path: u.path, street: u.parentId as string }))
    .sort((a, b) => a.id.localeCompare(b.id));

  // History subjects: 20 per community, names from a large pool so free-text search is selective.
  const workers: { id: string; name: string; orgUnitId: string; nationalId: string; gender: string; birth: string }[] = [];
  const workersByCommunity = new Map<string, { id: string; name: string }[]>();
  let n = 0;
  for (const c of communities) {
    const list: { id: string; name: string }[] = [];
    for (let k = 1; k <= WORKERS_PER_COMMUNITY; k += 1, n += 1) {
      const gender = n % 2 ? 'male' : 'female';
      const birth = new Date(Date.UTC(1975, 0, 1) + Math.floor(n / 400) * 37 * DAY).toISOString().slice(0, 10);
      const w = {
        id: `hist-${c.id}-${String(k).padStart(2, '0')}`,
        name: historyName(n * 7 + 11),
        orgUnitId: c.id,
        nationalId: makeNationalId('320102', birth, n % 400, gender),
        gender,
        birth,
      };
      workers.push(w);
      list.push({ id: w.id, name: w.name });
    }
    workersByCommunity.set(c.id, list);
  }
  await pool.query(
    `INSERT INTO "CommunityWorker" (id, name, gender, "birthDate", "nationalId", education, "postType", "employmentType", "orgUnitId",
        grade, "gradeSince", "hireDate", "postSince", "qualificationLevel", "updatedAt")
     SELECT id, name, gender::"Gender", birth::date, nid, 'bachelor', 'general', 'contract', org, 6, DATE '2020-01-01', DATE '2015-03-01', DATE '2015-03-01', 'assistant', now()
     FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[]) AS t(id, name, gender, birth, nid, org)
     ON CONFLICT DO NOTHING`,
    [
      col(workers, 'id'),
      col(workers, 'name'),
      col(workers, 'gender'),
      col(workers, 'birth'),
      col(workers, 'nationalId'),
      col(workers, 'orgUnitId'),
    ],
  );
  return { communities, workersByCommunity, units: byId, holders };
}

/** The assignment activity's rule (activities/assignment.ts), over the org held in memory. */
function resolve(org: HistoryOrg, work: Extract<PendingWork, { kind: 'resolve-assignees' }>): string[] {
  if (work.fixedAssignee) return work.exclude.includes(work.fixedAssignee) ? [] : [work.fixedAssignee];
  if (!work.actor) return [];
  const unit = org.units.get(work.orgUnitId);
  if (!unit) return [];
  const ancestors = new Set(unit.path.split('/').filter(Boolean));
  const role = work.actor.role ?? 'approver';
  const out = new Set<string>();
  for (const u of org.units.values()) {
    if (u.kind !== 'department' || u.departmentType !== work.actor.department || !u.parentId || !ancestors.has(u.parentId)) continue;
    const parent = org.units.get(u.parentId);
    if (parent?.kind !== 'area' || parent.level !== work.actor.level) continue;
    for (const id of org.holders.get(u.id)?.get(role) ?? []) out.add(id);
  }
  return [...out].sort().filter((id) => !work.exclude.includes(id));
}

// ------------------------------------------------------------------------------------------------------
// Case types, payloads and their frozen definitions.

interface TypeSpec {
  type: string;
  weight: number;
  /**
   * Plain-language values for some fields, laid over a payload made from the type's current payload schema
   * (samplePayload): a field the definition gains gets a value of its own, one it drops is left out, so the
   * load follows the definitions instead of drifting from them.
   */
  payloads: Record<string, Json>[];
}

const TYPES: TypeSpec[] = [
  { type: 'promotion', weight: 0.5, payloads: [{ kind: 'regular' }, { kind: 'early', reason: '连续两年考核优秀' }] },
  {
    type: 'commendation',
    weight: 0.15,
    payloads: [{ awardTitle: '优秀社区工作者', achievements: '扎实开展社区治理和为民服务工作，群众满意度高。', level: 'county' }],
  },
  {
    type: 'recruitment',
    weight: 0.1,
    payloads: [
      { track: 'civil-service', targetOrg: '南京市鼓楼区人民政府', post: '街道综合管理岗' },
      { track: 'public-institution', targetOrg: '鼓楼区社区服务中心', post: '社区服务岗' },
    ],
  },
  {
    type: 'error-tolerance',
    weight: 0.1,
    payloads: [
      {
        incidentDate: '2025-07-15',
        description: '防汛应急中先行调用物资，未及时履行审批手续。',
        emergency: true,
        accountabilityRef: '鼓纪问〔2025〕7号',
        accountabilityStartedOn: '2025-08-01',
      },
    ],
  },
  {
    type: 'name-clearing',
    weight: 0.08,
    payloads: [
      {
        accusationRef: 'XF-2025-0147',
        findingSummary: '反映的违规发放补贴问题经核查不属实。',
        verifiedBy: 'street-discipline',
        initiatedBy: 'department-proposal',
      },
    ],
  },
  { type: 'exit', weight: 0.07, payloads: [{ reason: 'consecutive-incompetent', detail: '连续两年年度考核确定为不称职等次。' }] },
];

/** A date the sample payloads use where the schema asks for one and no plain-language value gives it. */
const SAMPLE_DATE = '2025-07-15';

/** The names of an object schema's fields, in any branch of a union. */
function fieldsOf(schema: Json): Set<string> {
  const s = (schema ?? {}) as Record<string, Json>;
  const branches = [s, ...(((s.anyOf ?? s.oneOf) as Json[] | undefined) ?? [])] as Record<string, Json>[];
  return new Set(branches.flatMap((b) => Object.keys((b.properties ?? {}) as Record<string, Json>)));
}

/**
 * A value of `schema` (the JSON Schema of a definition's payload, as its snapshot keeps it) with every required
 * field filled and optional ones left out: text from the field's description, the first of an enum or a union,
 * a number's minimum, a calendar date.
 */
export function samplePayload(schema: Json): Json {
  if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) return null;
  const s = schema as Record<string, Json>;
  if ('const' in s) return s.const;
  if (Array.isArray(s.enum)) return s.enum[0] as Json;
  const union = (s.anyOf ?? s.oneOf) as Json[] | undefined;
  if (Array.isArray(union) && union.length) return samplePayload(union[0] as Json);
  switch (s.type) {
    case 'object': {
      const properties = (s.properties ?? {}) as Record<string, Json>;
      const required = new Set((s.required ?? []) as string[]);
      return Object.fromEntries(
        Object.entries(properties)
          .filter(([name]) => required.has(name))
          .map(([name, property]) => [name, samplePayload(property)]),
      );
    }
    case 'string': {
      if (s.format === 'date') return SAMPLE_DATE;
      const text = typeof s.description === 'string' ? s.description : '已按规定办理';
      const min = typeof s.minLength === 'number' ? s.minLength : 1;
      const max = typeof s.maxLength === 'number' ? s.maxLength : text.length;
      return text.padEnd(min, '。').slice(0, Math.max(min, Math.min(max, text.length)));
    }
    case 'integer':
    case 'number':
      return typeof s.minimum === 'number' ? s.minimum : typeof s.exclusiveMinimum === 'number' ? s.exclusiveMinimum + 1 : 1;
    case 'boolean':
      return false;
    case 'array': {
      const n = typeof s.minItems === 'number' ? s.minItems : 0;
      return Array.from({ length: n }, () => samplePayload(s.items ?? null));
    }
    default:
      return null;
  }
}

/** A worker record the eligibility rules can read, so each case's submit event carries a real result. */
const TEMPLATE_WORKER: PersonnelRecord = {
  id: 'template',
  name: '模板',
  gender: 'female',
  birthDate: '1992-02-28',
  education: 'bachelor',
  postType: 'general',
  employmentType: 'contract',
  grade: 5,
  gradeSince: '2023-01-01',
  hireDate: '2019-07-01',
  postSince: '2019-07-01',
  qualification: { level: 'intermediate', obtainedOn: '2020-11-21', eligibleSince: '2012-06-01' },
  status: 'active',
  assessments: [2020, 2021, 2022, 2023, 2024, 2025].map((year) => ({ year, result: year >= 2024 ? 'excellent' : 'competent' })),
  disciplinary: [],
  gradeChanges: [],
  awards: [],
} as unknown as PersonnelRecord;

interface Prepared {
  spec: TypeSpec;
  variants: { payload: Record<string, Json>; snapshot: ProcessSnapshot; eligibility: EligibilitySummary }[];
}

export function prepareTypes(): Prepared[] {
  return TYPES.map((spec) => {
    const definition = caseTypeOf(spec.type);
    if (!definition) throw new Error(`unknown case type ${spec.type}`);
    return {
      spec,
      variants: spec.payloads.map((plain) => {
        const jsonSchema = payloadJsonSchema(definition, RULES);
        const fields = fieldsOf(jsonSchema);
        const schema = definition.payload(RULES);
        const sample = samplePayload(jsonSchema) as Record<string, Json>;
        // Only the fields the current schema has: a plain-language value for a dropped field would be refused.
        const known = Object.fromEntries(Object.entries(plain).filter(([name]) => fields.has(name)));
        let parsed = schema.safeParse({ ...sample, ...known });
        if (!parsed.success) {
          // A plain-language value the current schema refuses (an option the rules no longer know): the sample's.
          const refused = new Set(parsed.error.issues.map((i) => String(i.path[0])));
          parsed = schema.safeParse({ ...sample, ...Object.fromEntries(Object.entries(known).filter(([name]) => !refused.has(name))) });
        }
        if (!parsed.success)
          throw new Error(`bulk load: the ${spec.type} v${definition.version} payload does not fit its schema: ${parsed.error.message}`);
        const payload = parsed.data as Record<string, Json>;
        const rule = eligibilityOf(spec.type);
        const result = rule ? rule(TEMPLATE_WORKER, payload, RULES, '2026-01-05') : { eligible: true, reasons: [] };
        return { payload, snapshot: snapshotFor(definition, RULES, payload), eligibility: { eligible: true, reasons: result.reasons } };
      }),
    };
  });
}

function fieldValue(f: FieldSpec, at: number): Json {
  switch (f.type) {
    case 'string':
      return `${f.title.zh}：已按规定办理`;
    case 'number':
      return f.min ?? 80;
    case 'boolean':
      return false;
    case 'date':
      return localDate(new Date(at));
    case 'enum':
      return f.options?.[0] ?? '';
  }
}

// ------------------------------------------------------------------------------------------------------
// One case, driven by the engine.

type Fate = 'completed' | 'rejected' | 'withdrawn' | 'open';

interface Simulated {
  state: CaseState;
  events: ChainedEvent[];
  anomaly?: string;
}

function simulate(
  org: HistoryOrg,
  input: CaseInput,
  fate: Fate,
  submittedAt: number,
  gapMs: () => number,
  stopAfter: number,
  rnd: () => number,
  now: number,
): Simulated {
  let t = submittedAt;
  const { state, events } = startCase(input, new Date(t));
  const act = (command: CaseCommand): string | undefined => {
    const refusal = checkCommand(state, command);
    if (refusal) return `${command.action} by ${command.actorId} refused: ${refusal.message}`;
    events.push(...applyCommand(state, command, new Date(t)));
    return undefined;
  };
  let steps = 0;
  const rejectAt = fate === 'rejected' ? Math.floor(rnd() * 3) : -1;
  const withdrawAt = fate === 'withdrawn' ? Math.floor(rnd() * 2) : -1;
  for (let guard = 0; guard < 200; guard += 1) {
    const work = pendingWork(state);
    if (work) {
      t += 30_000 + rnd() * 120_000;
      if (work.kind === 'resolve-assignees') events.push(...assigneesResolved(state, work, { eligible: resolve(org, work) }, new Date(t)));
      else if (work.kind === 'recheck-eligibility')
        events.push(...eligibilityRechecked(state, { eligible: true, reasons: input.eligibility?.reasons ?? [] }, new Date(t)));
      else if (work.kind === 'resolve-copies') throw new Error('bulk-loaded cases start without copies (CaseInput.copies)');
      else events.push(...outcomeApplied(state, new Date(t), { applied: true, outcome: work.outcome }));
      continue;
    }
    if (isFinal(state.status)) return { state, events };
    if (fate === 'open' && steps >= stopAfter) return { state, events };
    steps += 1;
    t += gapMs();
    if (fate === 'open' && t > now - HOUR) return { state, events };
    const current = state.current;
    if (state.status === 'public_notice' && state.notice?.dueAt) {
      t = Math.max(t, Date.parse(state.notice.dueAt) + 60_000);
      if (fate === 'open' && t > now - HOUR) return { state, events };
      events.push(...tick(state, new Date(t)));
      continue;
    }
    if (!current) return { state, events, anomaly: `no open stage in status ${state.status}` };
    if (current.phase === 'waiting' && current.startsAt) {
      t = Math.max(t, Date.parse(current.startsAt) + 60_000);
      if (fate === 'open' && t > now - HOUR) return { state, events };
      events.push(...tick(state, new Date(t)));
      continue;
    }
    if (current.phase !== 'open') return { state, events, anomaly: `stage ${current.stageId} is ${current.phase}` };
    const stage = state.plan.find((s) => s.id === current.stageId);
    if (!stage) return { state, events, anomaly: `no stage ${current.stageId}` };
    if (steps - 1 === withdrawAt) {
      const problem = act({ action: 'withdraw', actorId: state.applicantId, comment: '申请人撤回' });
      if (problem) return { state, events, anomaly: problem };
      continue;
    }
    const actor = current.assignees.find(
      (u) => !current.approvals.some((a) => a.userId === u) && !current.votes.some((v) => v.userId === u),
    );
    if (!actor) return { state, events, anomaly: `nobody left to act at ${stage.id}` };
    const data = Object.fromEntries((stage.fields ?? []).map((f) => [f.name, fieldValue(f, t)]));
    if (
      steps - 1 >= rejectAt &&
      rejectAt >= 0 &&
      (stage.kind ?? 'decision') === 'decision' &&
      stage.mode !== 'vote' &&
      stage.mode !== 'collective'
    ) {
      const problem = act({ action: 'reject', actorId: actor, comment: '不符合条件，不予通过' });
      if (problem) return { state, events, anomaly: problem };
      continue;
    }
    if (stage.mode === 'vote') {
      for (const member of current.assignees) {
        const problem = act({ action: 'vote', actorId: member, choice: 'for' });
        if (problem) return { state, events, anomaly: problem };
      }
      const problem = act({ action: 'close-vote', actorId: actor, minutes: '经集体研究，同意。', data });
      if (problem) return { state, events, anomaly: problem };
      continue;
    }
    if (stage.mode === 'collective') {
      // A committee decides at a meeting (集体决定): one member records it, every member present and for.
      const problem = act({
        action: 'record-meeting',
        actorId: actor,
        meetingDate: localDate(new Date(t)),
        members: current.assignees.map((userId) => ({ userId, attendance: 'present', vote: 'for' })),
        minutes: '经集体研究，同意。',
        resolution: '同意',
        data,
      });
      if (problem) return { state, events, anomaly: problem };
      continue;
    }
    const problem = act({ action: 'approve', actorId: actor, comment: '同意', data });
    if (problem) return { state, events, anomaly: problem };
  }
  return { state, events, anomaly: 'too many steps' };
}

// ------------------------------------------------------------------------------------------------------
// Loading.

export interface LoadResult {
  cases: number;
  events: number;
  assignees: number;
  seconds: number;
  generateSeconds: number;
  insertSeconds: number;
  statuses: Record<string, number>;
  anomalies: number;
  anomalySamples: string[];
}

export interface LoadOptions {
  openShare: number;
  years: number;
  /** Seed of the random source; each step of the scale phase uses its own. */
  seed: number;
}

/** Cases generated and inserted per transaction. */
const CHUNK = 1000;

export async function bulkLoad(
  pool: Pool,
  org: HistoryOrg,
  count: number,
  options: LoadOptions,
  onProgress: (done: number) => void,
): Promise<LoadResult> {
  const rnd = mulberry32(options.seed);
  const types = prepareTypes();
  const totalWeight = types.reduce((s, t) => s + t.spec.weight, 0);
  const pickType = () => {
    let r = rnd() * totalWeight;
    for (const t of types) if ((r -= t.spec.weight) <= 0) return t;
    return types[0] as Prepared;
  };
  const { rows: years } = await pool.query<{ year: number }>(`SELECT year FROM "CalendarYear" ORDER BY year`);
  const { rows: days } = await pool.query<{ date: string; kind: string }>(
    `SELECT to_char(date, 'YYYY-MM-DD') AS date, kind FROM "CalendarDay" ORDER BY date`,
  );
  const calendar = {
    holidays: days.filter((d) => d.kind === 'holiday').map((d) => d.date),
    makeUpWorkdays: days.filter((d) => d.kind === 'workday').map((d) => d.date),
    years: years.map((y) => y.year),
  };
  const now = Date.now();
  const statuses: Record<string, number> = {};
  const anomalySamples: string[] = [];
  let anomalies = 0;
  let events = 0;
  let assignees = 0;
  let generateMs = 0;
  let insertMs = 0;
  const t0 = performance.now();
  const client = await pool.connect();
  try {
    for (let done = 0; done < count;) {
      const n = Math.min(CHUNK, count - done);
      const g0 = performance.now();
      const batch: Simulated[] = [];
      for (let i = 0; i < n; i += 1) {
        const prepared = pickType();
        const variant = prepared.variants[Math.floor(rnd() * prepared.variants.length)] as Prepared['variants'][number];
        const community = org.communities[Math.floor(rnd() * org.communities.length)] as HistoryOrg['communities'][number];
        const workers = org.workersByCommunity.get(community.id) ?? [];
        const worker = workers[Math.floor(rnd() * workers.length)] as { id: string; name: string };
        const r = rnd();
        const fate: Fate =
          r < options.openShare
            ? 'open'
            : r < options.openShare + (1 - options.openShare) * 0.8
              ? 'completed'
              : r < options.openShare + (1 - options.openShare) * 0.95
                ? 'rejected'
                : 'withdrawn';
        const open = fate === 'open';
        // Closed cases spread over the years; open ones submitted within the last 45 days.
        const submittedAt = open ? now - (2 * HOUR + rnd() * 45 * DAY) : now - (45 * DAY + rnd() * options.years * 365 * DAY);
        const span = now - submittedAt;
        const gap = open ? () => (0.05 + rnd() * 0.3) * span : () => 2 * HOUR + rnd() * 3 * DAY;
        const input: CaseInput = {
          caseId: randomUUID(),
          type: prepared.spec.type,
          definition: variant.snapshot,
          applicantId: `clerk-${community.id}`,
          subject: {
            id: worker.id,
            name: worker.name,
            userId: null,
            orgUnitId: community.id,
            orgPath: community.path,
            attributes: { status: 'active', grade: 6, postType: 'general', employmentType: 'contract' },
          },
          payload: variant.payload,
          calendar,
          eligibility: variant.eligibility,
        };
        const sim = simulate(org, input, fate, submittedAt, gap, Math.floor(rnd() * 4), rnd, now);
        if (sim.anomaly) {
          anomalies += 1;
          if (anomalySamples.length < 5) anomalySamples.push(`${input.type}: ${sim.anomaly}`);
        }
        statuses[sim.state.status] = (statuses[sim.state.status] ?? 0) + 1;
        batch.push(sim);
      }
      generateMs += performance.now() - g0;
      const i0 = performance.now();
      const inserted = await insertBatch(client, batch);
      insertMs += performance.now() - i0;
      events += inserted.events;
      assignees += inserted.assignees;
      done += n;
      onProgress(done);
    }
  } finally {
    client.release();
  }
  return {
    cases: count,
    events,
    assignees,
    seconds: round((performance.now() - t0) / 1000),
    generateSeconds: round(generateMs / 1000),
    insertSeconds: round(insertMs / 1000),
    statuses,
    anomalies,
    anomalySamples,
  };
}

/** Columns of the bulk inserts, in the order of the unnest() parameters below. */
const CASE_COLUMNS = [
  'id',
  'type',
  'status',
  'outcome',
  'subjectId',
  'subjectName',
  'orgUnitId',
  'orgPath',
  'applicantId',
  'payload',
  'definitionVersion',
  'ruleSetId',
  'ruleSetVersion',
  'currentStage',
  'dueAt',
  'readModel',
  'lastSeq',
  'lastHash',
  'submittedAt',
  'decidedAt',
  'updatedAt',
] as const;
const EVENT_COLUMNS = [
  'caseId',
  'seq',
  'at',
  'actorId',
  'action',
  'fromStatus',
  'toStatus',
  'stage',
  'comment',
  'data',
  'prevHash',
  'hash',
] as const;

async function insertBatch(client: PoolClient, batch: Simulated[]): Promise<{ events: number; assignees: number }> {
  const c: Record<string, unknown[]> = {};
  const push = (k: string, v: unknown) => (c[k] ??= []).push(v);
  const e: Record<string, unknown[]> = {};
  const pushE = (k: string, v: unknown) => (e[k] ??= []).push(v);
  const a: { caseId: string[]; userId: string[] } = { caseId: [], userId: [] };
  const ts = (d: Date | null) => (d ? d.toISOString() : null);
  for (const { state, events } of batch) {
    const { row, assignees } = caseReadModel(recordedState(state), events[events.length - 1]?.at);
    const values: Record<string, unknown> = {
      ...row,
      id: state.caseId,
      payload: JSON.stringify(row.payload),
      readModel: JSON.stringify(row.readModel),
      dueAt: ts(row.dueAt),
      submittedAt: ts(row.submittedAt),
      decidedAt: ts(row.decidedAt),
      updatedAt: ts(row.updatedAt),
    };
    for (const k of CASE_COLUMNS) push(k, values[k]);
    for (const u of assignees) {
      a.caseId.push(state.caseId);
      a.userId.push(u);
    }
    for (const ev of events) for (const k of EVENT_COLUMNS) pushE(k, k === 'data' ? JSON.stringify(ev.data) : ev[k]);
  }
  await client.query('BEGIN');
  try {
    await client.query(
      `INSERT INTO "Case" (id, type, status, outcome, "subjectId", "subjectName", "orgUnitId", "orgPath", "applicantId", payload, "definitionVersion",
         "ruleSetId", "ruleSetVersion", "currentStage", "dueAt", "readModel", "lastSeq", "lastHash", "submittedAt", "decidedAt", "updatedAt")
       SELECT * FROM unnest($1::text[], $2::text[], $3::"CaseStatus"[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::jsonb[],
         $11::int[], $12::text[], $13::int[], $14::text[], $15::timestamp(3)[], $16::jsonb[], $17::int[], $18::text[], $19::timestamp(3)[], $20::timestamp(3)[], $21::timestamp(3)[])`,
      CASE_COLUMNS.map((k) => c[k]),
    );
    const total = (e.caseId ?? []).length;
    const step = 5000;
    for (let from = 0; from < total; from += step) {
      await client.query(
        `INSERT INTO "CaseEvent" ("caseId", seq, at, "actorId", action, "fromStatus", "toStatus", stage, comment, data, "prevHash", hash)
         SELECT * FROM unnest($1::text[], $2::int[], $3::timestamp(3)[], $4::text[], $5::text[], $6::"CaseStatus"[], $7::"CaseStatus"[], $8::text[], $9::text[], $10::jsonb[], $11::text[], $12::text[])`,
        EVENT_COLUMNS.map((k) => (e[k] ?? []).slice(from, from + step)),
      );
    }
    if (a.caseId.length) {
      await client.query(`INSERT INTO "CaseAssignee" ("caseId", "userId") SELECT * FROM unnest($1::text[], $2::text[])`, [
        a.caseId,
        a.userId,
      ]);
    }
    // As recordEvents writes them: everyone who recorded an event on the case.
    await client.query(
      `INSERT INTO "CaseParticipant" ("caseId", "userId", "orgPath")
       SELECT DISTINCT e."caseId", e."actorId", c."orgPath" FROM "CaseEvent" e JOIN "Case" c ON c.id = e."caseId"
       WHERE e."caseId" = ANY($1::text[]) AND e."actorId" IS NOT NULL`,
      [c.id],
    );
    await client.query('COMMIT');
    return { events: total, assignees: a.caseId.length };
  } catch (err) {
    await client.query('ROLLBACK');
    throw err;
  }
}

const round = (v: number) => Math.round(v * 100) / 100;
