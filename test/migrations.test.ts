import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { applyMigrations, migrate, readMigrations, type Migration } from '../infra/migrate';
import { createPrisma, Prisma, type PrismaClient } from '../infra/prisma';
import { createEmptyDatabase } from './helpers/database';

/**
 * The hand-written SQL migrations must produce exactly the schema Prisma expects: a fresh database is migrated
 * with the built-in applier, then every model is written and read back through the Prisma client, and its
 * columns are compared with the model's fields. A migration that drifts from schema.prisma fails here.
 */

async function query<T extends Record<string, unknown>>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end();
  }
}

/** Tables, columns, indexes, constraints, triggers and extensions: what two migration paths must agree on. */
async function schemaOf(url: string) {
  return {
    columns: await query(
      url,
      `SELECT table_name, column_name, data_type, is_nullable, column_default FROM information_schema.columns
       WHERE table_schema = 'public' ORDER BY table_name, column_name`,
    ),
    indexes: await query(url, `SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY indexname`),
    constraints: await query(
      url,
      `SELECT conrelid::regclass::text AS "table", conname, pg_get_constraintdef(oid) AS def FROM pg_constraint
       WHERE connamespace = 'public'::regnamespace ORDER BY conname`,
    ),
    triggers: await query(url, `SELECT tgname FROM pg_trigger WHERE NOT tgisinternal ORDER BY tgname`),
    extensions: await query(url, `SELECT extname FROM pg_extension ORDER BY extname`),
  };
}

async function freshSchema() {
  const fresh = await createEmptyDatabase();
  try {
    await migrate(fresh.url, { preferPrisma: false });
    return await schemaOf(fresh.url);
  } finally {
    await fresh.drop();
  }
}

describe('migration applier', () => {
  let db: { url: string; drop: () => Promise<void> };
  beforeEach(async () => {
    db = await createEmptyDatabase();
  });
  afterEach(async () => {
    await db.drop();
  });

  test('applies every migration once and records it as Prisma does', async () => {
    const first = await migrate(db.url, { preferPrisma: false });
    const names = readMigrations().map((m) => m.name);
    expect(first).toEqual({ tool: 'built-in applier', applied: names });
    expect((await migrate(db.url, { preferPrisma: false })).applied).toEqual([]);

    const rows = await query<{ migration_name: string; checksum: string; finished_at: Date | null; applied_steps_count: number }>(
      db.url,
      'SELECT migration_name, checksum, finished_at, applied_steps_count FROM "_prisma_migrations" ORDER BY migration_name',
    );
    expect(rows.map((r) => r.migration_name)).toEqual(names);
    for (const [i, m] of readMigrations().entries()) {
      expect(rows[i]?.checksum).toBe(m.checksum);
      expect(rows[i]?.checksum).toMatch(/^[0-9a-f]{64}$/);
      expect(rows[i]?.finished_at).toBeInstanceOf(Date);
      expect(rows[i]?.applied_steps_count).toBe(1);
    }
  });

  test('a database of the first release keeps its cases and ends with the schema of a fresh one', async () => {
    const [first, ...later] = readMigrations();
    expect(later.length).toBeGreaterThan(0);
    await applyMigrations(db.url, [first as (typeof later)[number]]);
    // A case as the first release's projection wrote it: no subject name, org path or chain head on the row.
    await query(
      db.url,
      `INSERT INTO "OrgUnit" (id, name, level, kind, path) VALUES ('ou-1', '石桥社区', 'community', 'area', '/ou-0/ou-1/');
       INSERT INTO "CommunityWorker" (id, name, gender, "birthDate", "nationalId", education, "postType", "employmentType", "orgUnitId",
         grade, "gradeSince", "hireDate", "postSince", "updatedAt")
       VALUES ('w-1', '王五', 'female', '1990-01-01', '320106199001010021', 'bachelor', 'general', 'contract', 'ou-1', 3, '2024-01-01',
         '2020-01-01', '2020-01-01', now());
       INSERT INTO "Case" (id, type, status, "subjectId", "orgUnitId", "applicantId", payload, "definitionVersion", "ruleSetId",
         "ruleSetVersion", state, "lastSeq", "submittedAt", "updatedAt")
       VALUES ('c-1', 'promotion', 'in_review', 'w-1', 'ou-1', 'u-1', '{}', 1, 'jiangsu-2025', 1, '{}', 2, now(), now());
       INSERT INTO "CaseEvent" ("caseId", seq, at, "actorId", action, "toStatus", data, "prevHash", hash)
       VALUES ('c-1', 1, now(), 'u-1', 'submit', 'in_review', '{}', repeat('0', 64), repeat('a', 64)),
              ('c-1', 2, now(), NULL, 'stage_opened', 'in_review', '{}', repeat('a', 64), repeat('b', 64));`,
    );
    expect((await migrate(db.url, { preferPrisma: false })).applied).toEqual(later.map((m) => m.name));
    // Whoever recorded an event takes part in the case from then on.
    expect(await query(db.url, `SELECT "caseId", "userId", "orgPath" FROM "CaseParticipant"`)).toEqual([
      { caseId: 'c-1', userId: 'u-1', orgPath: '/ou-0/ou-1/' },
    ]);
    expect(await query(db.url, `SELECT "subjectName", "orgPath", "lastHash" FROM "Case" WHERE id = 'c-1'`)).toEqual([
      { subjectName: '王五', orgPath: '/ou-0/ou-1/', lastHash: 'b'.repeat(64) },
    ]);
    expect(await schemaOf(db.url)).toEqual(await freshSchema());
  });

  test('existing cases get short numbers in the order they were submitted, per type and year; new ones continue the sequence', async () => {
    const all = readMigrations();
    await applyMigrations(
      db.url,
      all.filter((m) => m.name < '20261231930000_case_numbers'),
    );
    const caseRow = (id: string, type: string, submittedAt: string) =>
      `('${id}', '${type}', 'in_review', 'w-1', '王五', 'ou-1', '/ou-1/', 'u-1', '{}', 1, 'jiangsu-2025', 1, 1, repeat('a', 64), '${submittedAt}', now())`;
    const columns = `(id, type, status, "subjectId", "subjectName", "orgUnitId", "orgPath", "applicantId", payload, "definitionVersion",
      "ruleSetId", "ruleSetVersion", "lastSeq", "lastHash", "submittedAt", "updatedAt")`;
    await query(
      db.url,
      `INSERT INTO "OrgUnit" (id, name, level, kind, path) VALUES ('ou-1', '石桥社区', 'community', 'area', '/ou-1/');
       INSERT INTO "CommunityWorker" (id, name, gender, "birthDate", "nationalId", education, "postType", "employmentType", "orgUnitId",
         grade, "gradeSince", "hireDate", "postSince", "updatedAt")
       VALUES ('w-1', '王五', 'female', '1990-01-01', '320106199001010021', 'bachelor', 'general', 'contract', 'ou-1', 3, '2024-01-01',
         '2020-01-01', '2020-01-01', now());
       INSERT INTO "Case" ${columns} VALUES
         ${caseRow('c-b', 'promotion', '2026-03-01T00:00:00Z')}, ${caseRow('c-a', 'promotion', '2026-01-05T00:00:00Z')},
         ${caseRow('c-x', 'exit', '2026-02-01T00:00:00Z')},
         -- 16:30 UTC on New Year's Eve is already the new year in China.
         ${caseRow('c-n', 'promotion', '2026-12-31T16:30:00Z')};`,
    );
    await migrate(db.url, { preferPrisma: false });
    const numbers = async () =>
      query<{ id: string; numberYear: number; numberSeq: number }>(db.url, `SELECT id, "numberYear", "numberSeq" FROM "Case" ORDER BY id`);
    expect(await numbers()).toEqual([
      { id: 'c-a', numberYear: 2026, numberSeq: 1 },
      { id: 'c-b', numberYear: 2026, numberSeq: 2 },
      { id: 'c-n', numberYear: 2027, numberSeq: 1 },
      { id: 'c-x', numberYear: 2026, numberSeq: 1 },
    ]);
    // A case written afterwards (the projection's first write) takes the next number; rewriting a row keeps its number.
    await query(
      db.url,
      `INSERT INTO "Case" ${columns} VALUES ${caseRow('c-c', 'promotion', '2026-06-01T00:00:00Z')};
       INSERT INTO "Case" ${columns} VALUES ${caseRow('c-a', 'promotion', '2026-01-05T00:00:00Z')}
         ON CONFLICT (id) DO UPDATE SET "lastSeq" = 2;`,
    );
    expect((await numbers()).filter((r) => ['c-a', 'c-c'].includes(r.id))).toEqual([
      { id: 'c-a', numberYear: 2026, numberSeq: 1 },
      { id: 'c-c', numberYear: 2026, numberSeq: 3 },
    ]);
    await expect(query(db.url, `UPDATE "Case" SET "numberSeq" = 1 WHERE id = 'c-c'`)).rejects.toThrow(/unique|duplicate/i);
  });

  test('the first release’s disciplinary kinds, rulings and dates of eligibility are converted, the originals kept', async () => {
    const all = readMigrations();
    const before = all.filter((m) => m.name < '20261210000000_rules_right');
    await applyMigrations(db.url, before);
    await query(
      db.url,
      `INSERT INTO "OrgUnit" (id, name, level, kind, path) VALUES ('ou-1', '石桥社区', 'community', 'area', '/ou-1/');
       INSERT INTO "CommunityWorker" (id, name, gender, "birthDate", "nationalId", education, "postType", "employmentType", "orgUnitId",
         grade, "gradeSince", "hireDate", "postSince", "qualificationEligibleSince", "updatedAt")
       VALUES ('w-e', '王五', 'female', '1990-01-01', '320106199001010021', 'bachelor', 'deputy', 'elected', 'ou-1', 6, '2024-01-01',
                 '2020-01-01', '2020-01-01', NULL, now()),
              ('w-c', '赵六', 'male', '1991-01-01', '320106199101010031', 'bachelor', 'general', 'contract', 'ou-1', 3, '2024-01-01',
                 '2020-01-01', '2020-01-01', '2019-07-01', now());
       INSERT INTO "DisciplinaryRecord" (id, "workerId", kind, "startDate", "endDate", reason) VALUES
         ('d-1', 'w-e', 'warning', '2025-01-01', '2025-12-31', 'a'), ('d-2', 'w-e', 'demotion', '2025-01-01', NULL, 'b'),
         ('d-3', 'w-e', 'dismissal_probation', '2025-01-01', '2026-12-31', 'c'), ('d-4', 'w-c', 'demerit', '2025-01-01', NULL, 'd'),
         ('d-5', 'w-c', 'major_demerit', '2025-01-01', NULL, 'e'), ('d-6', 'w-c', 'dismissal_probation', '2025-01-01', NULL, 'f');
       INSERT INTO "ErrorToleranceRuling" (id, "workerId", "caseId", ruling, "incidentDate", summary, "correctionRequired", "decidedOn")
       VALUES ('r-1', 'w-c', 'c-1', 'partially-tolerated', '2025-01-01', 's', false, '2025-02-01'),
              ('r-2', 'w-c', 'c-2', 'tolerated', '2025-01-01', 's', false, '2025-02-01');`,
    );
    expect((await migrate(db.url, { preferPrisma: false })).applied).toEqual(all.filter((m) => !before.includes(m)).map((m) => m.name));
    expect(await query(db.url, `SELECT id, kind::text, "termEnd", legacy FROM "DisciplinaryRecord" ORDER BY id`)).toEqual([
      { id: 'd-1', kind: 'government_warning', termEnd: null, legacy: { kind: 'warning', endDate: '2025-12-31' } },
      { id: 'd-2', kind: 'government_major_demerit', termEnd: null, legacy: { kind: 'demotion', endDate: null } },
      { id: 'd-3', kind: 'government_major_demerit', termEnd: null, legacy: { kind: 'dismissal_probation', endDate: '2026-12-31' } },
      { id: 'd-4', kind: 'contract_demerit', termEnd: null, legacy: { kind: 'demerit', endDate: null } },
      { id: 'd-5', kind: 'contract_grade_lowered', termEnd: null, legacy: { kind: 'major_demerit', endDate: null } },
      { id: 'd-6', kind: 'contract_grade_lowered', termEnd: null, legacy: { kind: 'dismissal_probation', endDate: null } },
    ]);
    expect(await query(db.url, `SELECT id, ruling FROM "ErrorToleranceRuling" ORDER BY id`)).toEqual([
      { id: 'r-1', ruling: 'mitigated' },
      { id: 'r-2', ruling: 'tolerated' },
    ]);
    expect(
      await query(
        db.url,
        `SELECT id, "qualificationEligibilityBasis"::text AS basis, "qualificationEligibilityEvidence" AS evidence, "partyPost", "secretaryFullTerms"
         FROM "CommunityWorker" ORDER BY id`,
      ),
    ).toEqual([
      { id: 'w-c', basis: 'migrated', evidence: '', partyPost: null, secretaryFullTerms: 0 },
      { id: 'w-e', basis: null, evidence: null, partyPost: null, secretaryFullTerms: 0 },
    ]);
    // A date of eligibility without its basis is refused from now on.
    await expect(
      query(db.url, `UPDATE "CommunityWorker" SET "qualificationEligibleSince" = '2020-01-01' WHERE id = 'w-e'`),
    ).rejects.toThrow(/qualification_eligibility_check/);
    expect(await schemaOf(db.url)).toEqual(await freshSchema());
  });

  test('a database created from the init migration as stops 9 and 10 shipped it is accepted and ends with the same schema', async () => {
    // That release edited the init migration in place; its databases recorded the edited file's checksum.
    const sql = fs.readFileSync(path.join(__dirname, 'fixtures', 'init-migration-as-shipped-in-stops-9-and-10.sql'), 'utf8');
    const [first, ...later] = readMigrations();
    const shipped = { name: (first as Migration).name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    const searchIndexes = later.filter((m) => m.name === '20261127090000_case_search_indexes');
    await applyMigrations(db.url, [shipped, ...searchIndexes]);
    expect((await migrate(db.url, { preferPrisma: false })).applied).toEqual(
      later.filter((m) => !searchIndexes.includes(m)).map((m) => m.name),
    );
    expect(await schemaOf(db.url)).toEqual(await freshSchema());
  });

  test('a failing migration is rolled back entirely and not recorded', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'migrations-'));
    try {
      fs.mkdirSync(path.join(dir, '20990101000000_broken'));
      fs.writeFileSync(
        path.join(dir, '20990101000000_broken', 'migration.sql'),
        'CREATE TABLE "Half" (id INT);\nSELECT * FROM "NoSuchTable";\n',
      );
      await expect(applyMigrations(db.url, readMigrations(dir))).rejects.toThrow(/20990101000000_broken failed and was rolled back/);
      expect(await query(db.url, `SELECT 1 FROM information_schema.tables WHERE table_name = 'Half'`)).toHaveLength(0);
      expect(await query(db.url, 'SELECT 1 FROM "_prisma_migrations"')).toHaveLength(0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('refuses to continue when an applied migration was edited', async () => {
    const migrations = readMigrations();
    await applyMigrations(db.url, migrations);
    const edited = migrations.map((m, i) => (i === 0 ? { ...m, checksum: 'f'.repeat(64) } : m));
    await expect(applyMigrations(db.url, edited)).rejects.toThrow(/was edited after it was applied/);
  });
});

/** One row per model with every scalar field set, and one with every optional field left empty. */
function fixtures(): Record<Prisma.ModelName, { full: Record<string, unknown>; minimal?: Record<string, unknown> }> {
  const at = new Date('2026-03-04T05:06:07.890Z');
  const day = new Date('2026-03-04T00:00:00.000Z');
  return {
    OrgUnit: {
      full: {
        id: 'ou-1',
        name: '测试社区',
        level: 'community',
        kind: 'department',
        departmentType: 'party_organisation',
        parentId: 'ou-0',
        path: '/ou-0/ou-1/',
        createdAt: at,
      },
      minimal: { id: 'ou-2', name: 'Root', level: 'province', kind: 'area', departmentType: null, parentId: null, path: '/ou-2/' },
    },
    User: {
      full: { id: 'u-1', name: '张三', externalSub: 'oidc|123', active: false, createdAt: at, email: 'zhang@example.gov.cn' },
      minimal: { id: 'u-2', name: 'Li', externalSub: null, email: null },
    },
    RoleAssignment: { full: { id: 'ra-1', userId: 'u-1', role: 'approver', orgUnitId: 'ou-1', createdAt: at } },
    CommunityWorker: {
      full: {
        id: 'w-1',
        name: '王五',
        gender: 'female',
        birthDate: day,
        nationalId: '11010519491231002X',
        education: 'master',
        postType: 'deputy',
        employmentType: 'elected',
        orgUnitId: 'ou-1',
        userId: 'u-1',
        status: 'recruited',
        grade: 12,
        gradeSince: day,
        hireDate: day,
        postSince: day,
        partyPost: 'deputy_secretary',
        residentsCommitteePost: 'deputy_director',
        secretaryFullTerms: 2,
        qualificationLevel: 'senior',
        qualificationObtainedOn: day,
        qualificationEligibleSince: day,
        qualificationEligibilityBasis: 'social_work_bachelor',
        qualificationEligibilityEvidence: '学位证书 2016-0001',
        createdAt: at,
        updatedAt: at,
      },
      minimal: {
        id: 'w-2',
        name: '赵六',
        gender: 'male',
        birthDate: day,
        nationalId: '320106198001010031',
        education: 'high_school',
        postType: 'general',
        employmentType: 'contract',
        orgUnitId: 'ou-1',
        userId: null,
        grade: 1,
        gradeSince: day,
        hireDate: day,
        postSince: day,
        partyPost: null,
        residentsCommitteePost: null,
        qualificationObtainedOn: null,
        qualificationEligibleSince: null,
        qualificationEligibilityBasis: null,
        qualificationEligibilityEvidence: null,
      },
    },
    AnnualAssessment: {
      full: { id: 'aa-1', workerId: 'w-1', year: 2025, result: 'basically_competent', recordedBy: 'u-2', createdAt: at },
      minimal: { id: 'aa-2', workerId: 'w-1', year: 2024, result: 'excellent', recordedBy: null },
    },
    DisciplinaryRecord: {
      full: {
        id: 'dr-1',
        workerId: 'w-1',
        kind: 'party_probation',
        startDate: day,
        termEnd: day,
        reason: '失职',
        recordedBy: 'u-2',
        legacy: { kind: 'dismissal_probation', endDate: '2027-03-04' },
        createdAt: at,
      },
      minimal: {
        id: 'dr-2',
        workerId: 'w-1',
        kind: 'government_warning',
        startDate: day,
        termEnd: null,
        reason: 'x',
        recordedBy: null,
      },
    },
    Award: {
      full: { id: 'aw-1', workerId: 'w-1', title: '优秀社区工作者', level: 'province', awardedOn: day, caseId: 'c-9', createdAt: at },
      minimal: { id: 'aw-2', workerId: 'w-1', title: 't', level: 'county', awardedOn: day, caseId: null },
    },
    ErrorToleranceRuling: {
      full: {
        id: 'et-1',
        workerId: 'w-1',
        caseId: 'c-8',
        ruling: 'mitigated',
        incidentDate: day,
        summary: '应急处置',
        correctionRequired: true,
        correctionVerifiedOn: day,
        decidedOn: day,
        findings: { lawful: true, dueProcess: true },
        repliedOn: day,
        filedWith: 'party-committee',
        filedOn: day,
        createdAt: at,
      },
      minimal: {
        id: 'et-2',
        workerId: 'w-1',
        caseId: 'c-7',
        ruling: 'tolerated',
        incidentDate: day,
        summary: 's',
        correctionRequired: false,
        correctionVerifiedOn: null,
        decidedOn: day,
        repliedOn: null,
        filedWith: null,
        filedOn: null,
      },
    },
    NameClearance: {
      full: {
        id: 'nc-1',
        workerId: 'w-1',
        caseId: 'c-6',
        accusationRef: 'XF-2026-1',
        findingSummary: '举报不实',
        method: 'meeting',
        clearedOn: day,
        verifiedBy: 'county-discipline',
        finding: 'false-accusation',
        scope: '社区两委班子',
        referral: { referredTo: '公安机关' },
        archivedOn: day,
        archiveRef: 'DA-1',
        createdAt: at,
      },
      minimal: {
        id: 'nc-2',
        workerId: 'w-1',
        caseId: 'c-4',
        accusationRef: 'XF-1',
        findingSummary: 'f',
        method: 'written',
        clearedOn: day,
        verifiedBy: null,
        finding: null,
        scope: null,
        archivedOn: null,
        archiveRef: null,
      },
    },
    ReturnVisit: {
      full: {
        id: 'rv-1',
        workerId: 'w-1',
        clearanceId: 'nc-1',
        caseId: 'c-6',
        visitedOn: day,
        officerId: 'u-2',
        notes: '思想稳定',
        createdAt: at,
      },
      minimal: { id: 'rv-2', workerId: 'w-1', clearanceId: null, caseId: null, visitedOn: day, officerId: 'u-2', notes: 'n' },
    },
    StatusChange: {
      full: {
        id: 'sc-1',
        workerId: 'w-1',
        fromStatus: 'active',
        toStatus: 'exited',
        reason: 'consecutive-incompetent',
        detail: { years: [2024, 2025] },
        effectiveFrom: day,
        caseId: 'c-5',
        createdAt: at,
      },
      minimal: {
        id: 'sc-2',
        workerId: 'w-1',
        fromStatus: 'exited',
        toStatus: 'active',
        reason: 'r',
        detail: {},
        effectiveFrom: day,
        caseId: null,
      },
    },
    Secondment: {
      full: {
        id: 'sd-1',
        workerId: 'w-1',
        caseId: 'c-sd-1',
        borrowingBody: '区委社会工作部',
        reason: 'r',
        fromDate: day,
        toDate: day,
        extensionOf: 'c-sd-0',
        createdAt: at,
      },
      minimal: {
        id: 'sd-2',
        workerId: 'w-1',
        caseId: null,
        borrowingBody: 'b',
        reason: 'r',
        fromDate: day,
        toDate: day,
        extensionOf: null,
      },
    },
    AppealDecision: {
      full: {
        id: 'ad-1',
        workerId: 'w-1',
        caseId: 'c-ad-1',
        appealOf: 'c-5',
        ground: 'exit',
        result: 'upheld',
        reasoning: 'r',
        decidedOn: day,
        reversal: { status: 'active' },
        createdAt: at,
      },
    },
    CaseGroup: {
      full: {
        id: 'promotion-round-s-1-2026',
        kind: 'promotion-round',
        orgUnitId: 's-1',
        year: 2026,
        stage: 'notice',
        decision: { meetingDate: '2026-03-02' },
        progress: { scores: {}, proposal: null, notification: null, entered: null },
        openedBy: 'u-1',
        createdAt: at,
        updatedAt: at,
      },
      minimal: {
        id: 'promotion-round-s-1-2027',
        kind: 'promotion-round',
        orgUnitId: 's-1',
        year: 2027,
        stage: 'recommendation',
        openedBy: 'u-1',
        updatedAt: at,
      },
    },
    CaseGroupMember: {
      full: { groupId: 'promotion-round-s-1-2026', workerId: 'w-1', caseId: 'c-cg-1' },
    },
    CalendarYear: {
      full: { year: 2026, source: 'State Council notice', provisional: false, loadedBy: 'u-2', loadedAt: at },
      minimal: { year: 2027, source: 'statutory', provisional: true, loadedBy: null },
    },
    CalendarDay: {
      full: { date: day, year: 2026, kind: 'holiday' },
    },
    GradeChange: {
      full: {
        id: 'gc-1',
        workerId: 'w-1',
        fromGrade: 11,
        toGrade: 12,
        effectiveFrom: day,
        caseId: 'c-1',
        reason: 'promotion',
        createdAt: at,
      },
      minimal: { id: 'gc-2', workerId: 'w-1', fromGrade: 1, toGrade: 2, effectiveFrom: day, caseId: null, reason: 'seed' },
    },
    Case: {
      full: {
        id: 'c-1',
        type: 'promotion',
        status: 'completed',
        outcome: 'approved',
        subjectId: 'w-1',
        subjectName: '王五',
        orgUnitId: 'ou-1',
        orgPath: '/ou-0/ou-1/',
        applicantId: 'u-2',
        payload: { kind: 'regular', 嵌套: [1, 2.5, null, { a: true }] },
        definitionVersion: 3,
        ruleSetId: 'jiangsu-2025',
        ruleSetVersion: 2,
        currentStage: 'street-decision',
        dueAt: at,
        readModel: { version: 1, stage: null },
        state: { seq: 9 },
        lastSeq: 9,
        lastHash: 'c'.repeat(64),
        submittedAt: at,
        decidedAt: at,
        updatedAt: at,
        fenceLength: 17,
        fenceAt: at,
        confirmedSeq: 8,
        handoverDigest: '9'.repeat(64),
        numberYear: 2026,
        numberSeq: 12,
        groupId: 'promotion-round-ou-0-2026',
        groupKind: 'promotion-round',
      },
      minimal: {
        id: 'c-2',
        type: 'exit',
        status: 'in_review',
        outcome: null,
        subjectId: 'w-2',
        subjectName: '赵六',
        orgUnitId: 'ou-1',
        orgPath: '/ou-0/ou-1/',
        applicantId: 'u-2',
        payload: {},
        definitionVersion: 1,
        ruleSetId: 'demo',
        ruleSetVersion: 1,
        currentStage: null,
        dueAt: null,
        lastSeq: 1,
        lastHash: 'd'.repeat(64),
        submittedAt: at,
        decidedAt: null,
        updatedAt: at,
      },
    },
    RecordAlert: {
      full: {
        id: 'ra-1',
        workerId: 'w-1',
        kind: 'qualification-deadline',
        key: '2026-12-15',
        detail: { daysLeft: 18 },
        caseId: 'c-1',
        createdAt: at,
      },
      minimal: { id: 'ra-2', workerId: 'w-1', kind: 'exit-proposed', key: 'k', detail: {}, caseId: null },
    },
    IdempotencyRecord: {
      full: {
        userId: 'u-1',
        key: 'k-1',
        requestHash: 'e'.repeat(64),
        status: 201,
        response: { id: 'c-1' },
        headers: { Location: '/api/v1/cases/c-1' },
        createdAt: at,
      },
      minimal: { userId: 'u-1', key: 'k-2', requestHash: 'f'.repeat(64), status: 200, response: { seq: 3 } },
    },
    AuditAccess: {
      full: { id: 'aa-x', userId: 'u-1', route: '/audit/events', query: { format: 'csv' }, at },
      minimal: { id: 'aa-y', userId: 'u-1', route: '/audit/verify', query: {} },
    },
    NationalIdReveal: {
      full: { id: 'nr-x', userId: 'u-1', workerId: 'w-1', reason: '核对档案', at },
      minimal: { id: 'nr-y', userId: 'u-1', workerId: 'w-1', reason: '核对档案' },
    },
    CaseAssignee: { full: { caseId: 'c-1', userId: 'u-1' } },
    CaseParticipant: { full: { caseId: 'c-1', userId: 'u-2', orgPath: '/ou-0/ou-1/' } },
    CaseObserver: { full: { caseId: 'c-1', userId: 'u-2', stage: 'decision', seq: 1, copiedAt: at } },
    UsedChallenge: { full: { nonce: 'nonce-1', expiresAt: at } },
    CaseEvent: {
      full: {
        caseId: 'c-1',
        seq: 1,
        at,
        actorId: 'u-2',
        action: 'submit',
        fromStatus: 'returned',
        toStatus: 'in_review',
        stage: 's',
        comment: '意见',
        data: { x: 1 },
        prevHash: '0'.repeat(64),
        hash: 'a'.repeat(64),
        caseDigest: 'd'.repeat(64),
      },
      minimal: {
        caseId: 'c-1',
        seq: 2,
        at,
        actorId: null,
        action: 'stage_opened',
        fromStatus: null,
        toStatus: 'in_review',
        stage: null,
        comment: null,
        data: {},
        prevHash: 'a'.repeat(64),
        hash: 'b'.repeat(64),
      },
    },
    Attachment: {
      full: {
        id: 'a-1',
        caseId: 'c-1',
        uploaderId: 'u-1',
        name: '考核表.pdf',
        mediaType: 'application/pdf',
        size: 1234,
        sha256: 'c'.repeat(64),
        kind: '考核表',
        stage: 's',
        storage: 'postgres',
        state: 'removed',
        createdAt: at,
        removedAt: at,
      },
      minimal: {
        id: 'a-2',
        caseId: null,
        uploaderId: 'u-1',
        name: 'x.png',
        mediaType: 'image/png',
        size: 1,
        sha256: 'd'.repeat(64),
        kind: null,
        stage: null,
        storage: 's3',
        state: 'uploading',
        removedAt: null,
      },
    },
    AttachmentContent: { full: { attachmentId: 'a-1', bytes: new Uint8Array([37, 80, 68, 70]) } },
    DocumentNumberCounter: { full: { issuer: '南湖街道党工委', year: 2026, lastNumber: 12 } },
    CaseNumberCounter: { full: { type: 'recruitment', year: 2026, lastNumber: 3 } },
    CaseDocumentNumber: { full: { caseId: 'c-1', kind: 'approval-form', issuer: '南湖街道党工委', year: 2026, number: 12, issuedAt: at } },
    PublicNotice: { full: { id: 'n-1', caseId: 'c-1', startedAt: at } },
    PublicObjection: {
      full: {
        id: 'po-1',
        noticeId: 'n-1',
        caseId: 'c-1',
        name: '居民甲',
        telephone: '13800000000',
        content: '有异议',
        createdAt: at,
        recordedAt: at,
        objectionId: 'objection-1',
      },
      minimal: {
        id: 'po-2',
        noticeId: 'n-1',
        caseId: 'c-1',
        name: '居民乙',
        telephone: '025-1234567',
        content: '异议',
        recordedAt: null,
        objectionId: null,
      },
    },
    CaseProjectionLag: {
      full: { caseId: 'c-1', seq: 9, reason: 'PostgreSQL refused the write (SQLSTATE 22P05)', since: at },
      minimal: { caseId: 'c-2', seq: 1, reason: 'unreachable' },
    },
    DiscardedCaseEvent: {
      full: {
        id: 1n,
        caseId: 'c-1',
        seq: 3,
        at,
        actorId: 'u-2',
        action: 'approve',
        fromStatus: 'in_review',
        toStatus: 'public_notice',
        stage: 's',
        comment: '同意',
        data: { y: 2 },
        prevHash: 'b'.repeat(64),
        hash: 'e'.repeat(64),
        caseDigest: 'f'.repeat(64),
        reason: 'lost-attempt',
        fenceLength: 12,
        fenceAt: at,
        discardedAt: at,
      },
      minimal: {
        id: 2n,
        caseId: 'c-gone',
        seq: 1,
        at,
        actorId: null,
        action: 'submit',
        fromStatus: null,
        toStatus: 'in_review',
        stage: null,
        comment: null,
        data: {},
        prevHash: '0'.repeat(64),
        hash: 'f'.repeat(64),
        caseDigest: null,
        reason: 'stale-attempt',
        fenceLength: 3,
        fenceAt: at,
      },
    },
    LedgerEntry: {
      full: {
        ledgerSeq: 1n,
        caseId: 'c-1',
        seq: 1,
        eventHash: 'a'.repeat(64),
        prevHash: '0'.repeat(64),
        hash: 'b'.repeat(64),
        appendedAt: at,
      },
      minimal: { ledgerSeq: 2n, caseId: 'c-1', seq: 2, eventHash: 'c'.repeat(64), prevHash: 'b'.repeat(64), hash: 'd'.repeat(64) },
    },
    LedgerCheckpoint: { full: { size: 1n, headHash: 'b'.repeat(64), at, keyId: 'e'.repeat(64), signature: 'c2ln' } },
    Notification: {
      full: { id: 'nt-1', caseId: 'c-1', seq: 1, kind: 'task', recipientId: 'u-1', stage: 's', at, readAt: at },
      minimal: { id: 'nt-2', caseId: 'c-1', seq: 1, kind: 'decision', recipientId: 'u-2', stage: null, at, readAt: null },
    },
    NotificationPreference: {
      full: { userId: 'u-1', inApp: false, email: false, mutedKinds: ['reminder', 'copy'], updatedAt: at },
      minimal: { userId: 'u-2' },
    },
    OpinionPhrases: {
      full: { userId: 'u-1', phrases: ['同意推荐', '请补充材料'], updatedAt: at },
      minimal: { userId: 'u-2' },
    },
    Delegation: {
      full: {
        id: 'dl-1',
        delegatorId: 'u-1',
        delegateId: 'u-2',
        fromDay: new Date('2026-07-01T00:00:00.000Z'),
        toDay: new Date('2026-07-10T00:00:00.000Z'),
        caseTypes: ['promotion'],
        reason: '年休假',
        createdBy: 'u-1',
        createdAt: at,
        revokedAt: at,
        revokedBy: 'u-1',
      },
      minimal: {
        id: 'dl-2',
        delegatorId: 'u-2',
        delegateId: 'u-1',
        fromDay: new Date('2026-08-01T00:00:00.000Z'),
        toDay: new Date('2026-08-01T00:00:00.000Z'),
        reason: '出差',
        createdBy: 'u-2',
      },
    },
    WebhookTarget: {
      full: {
        id: 'wh-1',
        name: '街道钉钉群',
        format: 'dingtalk',
        url: 'https://oapi.dingtalk.com/robot/send?access_token=x',
        secret: 'SEC0123456789abcdef',
        orgPath: '/ou-0/',
        kinds: ['task'],
        active: false,
        createdAt: at,
      },
      minimal: { id: 'wh-2', name: 'w', format: 'signed', url: 'https://example.gov.cn/hook', secret: null, orgPath: '/' },
    },
    NotificationDelivery: {
      full: {
        id: 'email:nt-1',
        caseId: 'c-1',
        seq: 1,
        kind: 'task',
        channel: 'email',
        notificationId: 'nt-1',
        targetId: 'wh-1',
        status: 'failed',
        attempts: 3,
        nextAttemptAt: at,
        leaseUntil: at,
        sentAt: at,
        lastError: '连接被拒绝',
        createdAt: at,
      },
      minimal: {
        id: 'webhook:wh-2:c-1:1:task',
        caseId: 'c-1',
        seq: 1,
        kind: 'task',
        channel: 'webhook',
        notificationId: null,
        targetId: null,
      },
    },
    ArchivedCase: {
      full: {
        id: 'case-archived-1',
        type: 'promotion',
        status: 'completed',
        outcome: 'approved',
        subjectId: 'w-1',
        subjectName: '张三',
        orgUnitId: 'ou-1',
        orgPath: '/ou-0/ou-1/',
        applicantId: 'u-1',
        viewers: ['u-1', 'u-2'],
        submittedAt: at,
        decidedAt: at,
        lastSeq: 9,
        lastHash: 'a'.repeat(64),
        bundleLocation: 's3://archive/archive/case-archived-1.json',
        bundleSha256: 'b'.repeat(64),
        bundleSize: 12345,
        checkpointSize: 40n,
        archivedBy: 'archive.ts on host-1',
        archivedAt: at,
        numberYear: 2026,
        numberSeq: 12,
      },
      minimal: {
        id: 'case-archived-2',
        type: 'exit',
        status: 'withdrawn',
        outcome: null,
        subjectId: 'w-1',
        subjectName: '张三',
        orgUnitId: 'ou-1',
        orgPath: '/ou-0/ou-1/',
        applicantId: 'u-1',
        submittedAt: at,
        decidedAt: null,
        lastSeq: 2,
        lastHash: 'c'.repeat(64),
        bundleLocation: 'file:///srv/archive/case-archived-2.json',
        bundleSha256: 'd'.repeat(64),
        bundleSize: 99,
        checkpointSize: null,
        archivedBy: 'archive.ts on host-1',
      },
    },
    NotificationAttempt: {
      full: { id: 1n, deliveryId: 'email:nt-1', attempt: 1, at, ok: false, status: 502, error: 'bad gateway', durationMs: 12 },
      minimal: { id: 2n, deliveryId: 'email:nt-1', attempt: 2, ok: true, status: null, error: null, durationMs: 3 },
    },
  };
}

type RuntimeField = { name: string; kind: string };
const scalarFields = (prisma: PrismaClient, model: string): string[] =>
  (
    (prisma as unknown as { _runtimeDataModel: { models: Record<string, { fields: RuntimeField[] }> } })._runtimeDataModel.models[model]
      ?.fields ?? []
  )
    .filter((f) => f.kind === 'scalar' || f.kind === 'enum')
    .map((f) => f.name)
    .sort();

const delegate = (prisma: PrismaClient, model: string) =>
  (
    prisma as unknown as Record<
      string,
      { create: (a: unknown) => Promise<unknown>; findFirstOrThrow: (a: unknown) => Promise<Record<string, unknown>> }
    >
  )[model.charAt(0).toLowerCase() + model.slice(1)] as {
    create: (a: unknown) => Promise<unknown>;
    findFirstOrThrow: (a: unknown) => Promise<Record<string, unknown>>;
  };

describe('schema round trip', () => {
  let db: { url: string; drop: () => Promise<void> };
  let prisma: PrismaClient;
  beforeAll(async () => {
    db = await createEmptyDatabase();
    await migrate(db.url, { preferPrisma: false });
    prisma = createPrisma(db.url, 2);
  });
  afterAll(async () => {
    await prisma.$disconnect();
    await db.drop();
  });

  test('every model has a fixture covering every field, and its table has exactly those columns', async () => {
    const all = fixtures();
    for (const model of Object.values(Prisma.ModelName)) {
      const fields = scalarFields(prisma, model);
      expect({ model, fields: Object.keys(all[model].full).sort() }).toEqual({ model, fields });
      const columns = await query<{ column_name: string }>(
        db.url,
        'SELECT column_name FROM information_schema.columns WHERE table_name = $1',
        [model],
      );
      expect({ model, columns: columns.map((c) => c.column_name).sort() }).toEqual({ model, columns: fields });
    }
  });

  // How each model's row is found again: its primary key, where that is not `id`.
  const PRIMARY_KEYS: Partial<Record<Prisma.ModelName, string[]>> = {
    CaseEvent: ['caseId', 'seq'],
    CaseAssignee: ['caseId', 'userId'],
    CaseParticipant: ['caseId', 'userId'],
    CaseObserver: ['caseId', 'userId'],
    UsedChallenge: ['nonce'],
    IdempotencyRecord: ['userId', 'key'],
    CalendarYear: ['year'],
    CalendarDay: ['date'],
    CaseProjectionLag: ['caseId'],
    LedgerEntry: ['ledgerSeq'],
    LedgerCheckpoint: ['size'],
    AttachmentContent: ['attachmentId'],
    DocumentNumberCounter: ['issuer', 'year'],
    CaseNumberCounter: ['type', 'year'],
    CaseDocumentNumber: ['caseId', 'kind'],
    NotificationPreference: ['userId'],
    OpinionPhrases: ['userId'],
  };

  test('writes and reads back every model through the Prisma client', async () => {
    // Parents first, so foreign keys hold.
    const all = fixtures();
    await prisma.orgUnit.create({ data: { id: 'ou-0', name: 'parent', level: 'street', kind: 'area', path: '/ou-0/' } });
    for (const model of Object.values(Prisma.ModelName)) {
      for (const row of [all[model].full, all[model].minimal].filter((r): r is Record<string, unknown> => r !== undefined)) {
        await delegate(prisma, model).create({ data: row });
        const where = Object.fromEntries((PRIMARY_KEYS[model] ?? ['id']).map((field) => [field, row[field]]));
        const back = await delegate(prisma, model).findFirstOrThrow({ where });
        expect({ model, row: back }).toEqual({ model, row: expect.objectContaining(row) });
      }
    }
  });

  test('case events are append-only in the database', async () => {
    await expect(prisma.caseEvent.updateMany({ where: { caseId: 'c-1' }, data: { comment: 'changed' } })).rejects.toThrow(/append-only/);
    await expect(prisma.caseEvent.deleteMany({ where: { caseId: 'c-1' } })).rejects.toThrow(/append-only/);
  });
});
