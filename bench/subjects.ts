import type { Pool } from 'pg';
import { demoName } from '../prisma/seed';
import { makeNationalId } from '../domain/national-id';

/**
 * Eligible subjects for the end-to-end run. Every approved promotion raises its subject's grade, so each
 * case needs a fresh worker: copies of the seed's profile 03 (general staff, grade 5 since 2023-01-01,
 * assessments 2020–2025 all 合格, qualified), eligible for a regular promotion as of any day in 2026–2027
 * (the API evaluates eligibility as of today; to pin it the API would need a TODAY override, see README).
 */

export const SEED_COMMUNITIES = [
  { community: 'jsl', street: 'nhl' },
  { community: 'jyj', street: 'nhl' },
  { community: 'mtj', street: 'hnl' },
  { community: 'gyl', street: 'hnl' },
] as const;

export interface Subject {
  id: string;
  community: string;
  street: string;
}

const date = (d: string) => d;

/** Inserts `perCommunity` eligible workers in each seeded community; returns them interleaved by community. */
export async function createSubjects(pool: Pool, perCommunity: number): Promise<Subject[]> {
  // Numbered after any earlier run's subjects, so a reused database (DATABASE_URL) gets fresh ones.
  const {
    rows: [earlier],
  } = await pool.query<{ n: string }>(`SELECT count(*) AS n FROM "CommunityWorker" WHERE id LIKE 'bench-%'`);
  const offset = Number(earlier?.n ?? 0);
  const rows: { id: string; name: string; nationalId: string; gender: 'male' | 'female'; birthDate: string; orgUnitId: string }[] = [];
  const subjects: Subject[] = [];
  for (let i = 0; i < perCommunity; i += 1) {
    for (const [k, c] of SEED_COMMUNITIES.entries()) {
      const n = offset + i * SEED_COMMUNITIES.length + k;
      const gender = n % 2 ? 'male' : 'female';
      // 500 sequence numbers per birth date; region 320104 keeps them apart from the seed's 320106.
      const day = new Date(Date.UTC(1990, 0, 1) + Math.floor(n / 500) * 86_400_000).toISOString().slice(0, 10);
      const id = `bench-${c.community}-${String(n).padStart(6, '0')}`;
      rows.push({
        id,
        name: demoName(n + 1000),
        nationalId: makeNationalId('320104', day, n % 500, gender),
        gender,
        birthDate: day,
        orgUnitId: c.community,
      });
      subjects.push({ id, community: c.community, street: c.street });
    }
  }
  const col = <K extends keyof (typeof rows)[number]>(k: K) => rows.map((r) => r[k]);
  await pool.query(
    `INSERT INTO "CommunityWorker" (id, name, gender, "birthDate", "nationalId", education, "postType", "employmentType", "orgUnitId",
        grade, "gradeSince", "hireDate", "postSince", "qualificationLevel", "qualificationObtainedOn", "qualificationEligibleSince",
        "qualificationEligibilityBasis", "qualificationEligibilityEvidence", "updatedAt")
     SELECT id, name, gender::"Gender", birth::date, nid, 'bachelor', 'general', 'contract', org,
        5, ${lit('2023-01-01')}, ${lit('2019-07-01')}, ${lit('2019-07-01')}, 'intermediate', ${lit('2020-11-21')}, ${lit('2012-06-01')},
        'other_bachelor_2y', '学历证书、社会工作年限证明（基准测试）', now()
     FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[]) AS t(id, name, gender, birth, nid, org)
`,
    [col('id'), col('name'), col('gender'), col('birthDate').map(date), col('nationalId'), col('orgUnitId')],
  );
  await pool.query(
    `INSERT INTO "AnnualAssessment" (id, "workerId", year, result, "recordedBy")
     SELECT gen_random_uuid()::text, w, y, 'competent', 'bench' FROM unnest($1::text[]) AS w CROSS JOIN generate_series(2020, 2025) AS y
     ON CONFLICT ("workerId", year) DO NOTHING`,
    [col('id')],
  );
  return subjects;
}

const lit = (d: string) => `DATE '${d}'`;
