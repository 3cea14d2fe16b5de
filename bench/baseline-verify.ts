import { createHash } from 'node:crypto';
import { canonicalJson, verifyCaseChain, type ChainBreak, type ChainedEvent, type ChainedEventBody } from '../domain/history';
import { caseFactsDigest } from '../domain/process/facts';
import { Prisma, type PrismaClient } from '../infra/prisma';
import { caseChain, type CaseChain, type CaseHeadRow } from '../store/audit';
import { chainedEvent, type CaseEventRow } from '../store/case-events';

/**
 * The same-run baseline of `npm run bench -- --verify-only`: the whole-chain verifier as it was before it streamed
 * (main at 083ca28, services/audit.ts verifyChains with store/audit.ts chains), kept verbatim apart from living in
 * one file: batches of 500 cases read by id with one query for their rows and one for their events, the next batch
 * read while the current one is hashed, on one connection. The mapping of a row to a chain is the store's (caseChain), unchanged.
 */

const VERIFY_BATCH = 500;
const nativeHash = (body: ChainedEventBody) => createHash('sha256').update(canonicalJson(body)).digest('hex');

async function chains(db: PrismaClient, afterId: string | undefined, take: number): Promise<CaseChain[]> {
  const cases = await db.$queryRaw<CaseHeadRow[]>`
    SELECT id, "lastSeq", "lastHash", type, "subjectId", "orgUnitId", "orgPath", "applicantId", payload, status::text AS status, outcome,
      "readModel" -> 'stageData' AS "stageData"
    FROM "Case"
    WHERE ${afterId ? Prisma.sql`id > ${afterId}` : Prisma.sql`TRUE`}
    ORDER BY id LIMIT ${take}`;
  if (cases.length === 0) return [];
  const rows = await db.$queryRaw<CaseEventRow[]>`
    SELECT "caseId", seq, at, "actorId", action, "fromStatus"::text AS "fromStatus", "toStatus"::text AS "toStatus", stage, comment,
      data, "prevHash", hash, "caseDigest"
    FROM "CaseEvent" WHERE "caseId" = ANY(${cases.map((c) => c.id)}::text[]) ORDER BY "caseId", seq`;
  const byCase = new Map<string, ChainedEvent[]>(cases.map((c) => [c.id, []]));
  for (const row of rows) byCase.get(row.caseId)?.push(chainedEvent(row));
  return cases.map((c) => caseChain(c, byCase.get(c.id) ?? []));
}

export async function baselineVerifyChains(
  db: PrismaClient,
): Promise<{ ok: boolean; checked: number; cases: number; broken: ChainBreak[] }> {
  let checked = 0;
  let cases = 0;
  const broken: ChainBreak[] = [];
  let next: Promise<CaseChain[]> = chains(db, undefined, VERIFY_BATCH);
  for (;;) {
    const batch = await next;
    if (batch.length === 0) break;
    const last = batch[batch.length - 1] as CaseChain;
    next = chains(db, last.caseId, VERIFY_BATCH);
    for (const chain of batch) {
      const expected = {
        lastSeq: chain.lastSeq,
        lastHash: chain.lastHash,
        ...(chain.facts ? { caseDigest: caseFactsDigest(chain.facts) } : {}),
      };
      const result = verifyCaseChain(chain.caseId, chain.events, expected, nativeHash);
      checked += result.checked;
      cases += 1;
      if (result.firstBroken) broken.push(result.firstBroken);
    }
  }
  return { ok: broken.length === 0, checked, cases, broken };
}
