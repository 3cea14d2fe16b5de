import { execFile } from 'node:child_process';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import request from 'supertest';
import { createApp } from '../api/app';
import { createTokenVerifier } from '../api/auth';
import { createProjectionActivities } from '../activities/projection';
import { GENESIS_HASH, type ChainedEvent } from '../domain/history';
import { checkpointMessage, LedgerVerifier, verifyLedgerPages, type LedgerPage } from '../domain/ledger';
import {
  applyCommand,
  assigneesResolved,
  pendingWork,
  recordedState,
  startCase,
  type CaseCommand,
  type CaseState,
} from '../domain/process/engine';
import { BUILT_IN_RULE_SETS, type RuleSet } from '../domain/rules';
import { ledgerSigner, signatureCheck } from '../infra/ledger-key';
import { createLogger } from '../infra/logger';
import { createLedgerService, type LedgerService } from '../services/ledger';
import { createStore } from '../store';
import { bearer, TEST_AUTH } from './helpers/api';
import { createTestDatabase, TEST_CHALLENGE_SECRET, TEST_LEDGER_KEY, type TestDatabase } from './helpers/database';
import { TEST_DEFINITIONS } from './helpers/test-definitions';

/**
 * The event ledger (docs/ledger.md): confirmed events, and only they, enter it exactly once however often the
 * projection and the confirmation are retried; PostgreSQL refuses to change it; and an offline verifier holding
 * only the public key finds a row a superuser edited or deleted behind the triggers, names the first bad entry,
 * refuses forged checkpoints, and says since when it is sure.
 */
const T = (minute: number) => new Date(Date.UTC(2026, 11, 1, 2, minute));
const signer = ledgerSigner(TEST_LEDGER_KEY);
const check = signatureCheck(signer.publicKeyPem);

async function ledgerDatabase() {
  const db = await createTestDatabase({ seeded: true });
  const store = createStore(db.prisma);
  const projection = createProjectionActivities({ store });
  let clock = T(30);
  const ledger = createLedgerService({ store, signer, now: () => clock });

  function openStage(state: CaseState, eligible: string[], at: Date): ChainedEvent[] {
    const work = pendingWork(state);
    if (work?.kind !== 'resolve-assignees') return [];
    return assigneesResolved(state, work, { eligible }, at);
  }
  function attempt(state: CaseState, command: CaseCommand, at: Date) {
    const copy = structuredClone(state);
    const events = applyCommand(copy, command, at);
    events.push(...openStage(copy, ['dgw-nhl-1', 'dgw-nhl-2'], at));
    return { state: copy, events };
  }
  const record = (state: CaseState, events: ChainedEvent[], fence: [number, number], prior: ChainedEvent | null) =>
    projection.recordEvents({
      caseId: state.caseId,
      events,
      state: recordedState(state),
      fence: { historyLength: fence[0], at: T(fence[1]).toISOString() },
      prior: prior ? { seq: prior.seq, hash: prior.hash } : { seq: 0, hash: GENESIS_HASH },
    });

  /** A promotion case, its opening recorded and confirmed, then a comment recorded (not yet confirmed). */
  async function caseWithHistory() {
    const subject = (await store.personnel.entry('w-jsl-01'))!;
    const { state, events } = startCase(
      {
        caseId: randomUUID(),
        type: 'promotion',
        definition: TEST_DEFINITIONS.calendar,
        applicantId: 'clerk-jsl',
        subject: {
          id: 'w-jsl-01',
          name: subject.name,
          userId: null,
          orgUnitId: subject.orgUnitId,
          orgPath: subject.orgPath,
          attributes: {},
        },
        payload: { kind: 'regular' },
        calendar: await store.calendar.workflowCalendar(),
        eventFormat: 2,
      },
      T(0),
    );
    const opening = [...events, ...openStage(state, ['sec-jsl', 'dep-jsl'], T(0))];
    await record(state, opening, [5, 0], null);
    const head = opening.at(-1)!;
    await store.projection.confirm(state.caseId, head);
    const next = attempt(state, { action: 'comment', actorId: 'sec-jsl', comment: '意见' }, T(1));
    await record(next.state, next.events, [9, 1], head);
    return { state: next.state, opening, next: next.events, attempt, record };
  }

  return {
    db,
    store,
    ledger,
    caseWithHistory,
    setClock: (at: Date) => {
      clock = at;
    },
    /** A connection as the database superuser, as a database administrator would use it. */
    async superuser<R>(fn: (c: Client) => Promise<R>): Promise<R> {
      const client = new Client({ connectionString: db.url });
      await client.connect();
      try {
        return await fn(client);
      } finally {
        await client.end();
      }
    },
  };
}

const entriesOf = async (store: ReturnType<typeof createStore>) =>
  (await store.ledger.page(0, 1000)).entries.map((e) => `${e.ledgerSeq}:${e.caseId.slice(0, 8)}:${e.seq}:${e.eventHash.slice(0, 8)}`);

/** Every page of the export, `limit` entries each. */
async function exportPages(ledger: LedgerService, limit?: number): Promise<LedgerPage[]> {
  const pages: LedgerPage[] = [];
  for await (const page of ledger.pages(limit)) pages.push(page);
  return pages;
}

/** The export verified as the offline verifier reads it. */
const verifyExport = async (ledger: LedgerService, limit?: number) => verifyLedgerPages(await exportPages(ledger, limit), check);

/** Pages read in the order given, each under its label. */
function verifyAs(pages: [string, LedgerPage][]) {
  const verifier = new LedgerVerifier(check);
  for (const [label, page] of pages) verifier.page(label, page);
  return verifier.result();
}

describe('the event ledger', () => {
  let l: Awaited<ReturnType<typeof ledgerDatabase>>;
  let db: TestDatabase;
  beforeEach(async () => {
    l = await ledgerDatabase();
    db = l.db;
  });
  afterEach(async () => {
    await db.drop();
  });

  test('confirmed events enter once, in order; unconfirmed ones and those of a lost attempt never', async () => {
    const a = await l.caseWithHistory();
    const short = (caseId: string, events: ChainedEvent[]) => events.map((e) => `${caseId.slice(0, 8)}:${e.seq}:${e.hash.slice(0, 8)}`);
    const expected = short(a.state.caseId, a.opening).map((s, i) => `${i + 1}:${s}`);
    expect(await entriesOf(l.store)).toEqual(expected);

    // Retried confirmations and a retried write of the same batch change nothing.
    await l.store.projection.confirm(a.state.caseId, a.opening.at(-1)!);
    await a.record(a.state, a.next, [9, 1], a.opening.at(-1)!);
    expect(await entriesOf(l.store)).toEqual(expected);

    // A lost attempt's approval is moved out of the chain by the attempt that won; only the winner is confirmed.
    const lost = a.attempt(a.state, { action: 'approve', actorId: 'dep-jsl' }, T(2));
    await a.record(lost.state, lost.events, [12, 2], a.next.at(-1)!);
    const won = a.attempt(a.state, { action: 'approve', actorId: 'sec-jsl' }, T(3));
    await a.record(won.state, won.events, [12, 3], a.next.at(-1)!);
    await l.store.projection.confirm(a.state.caseId, won.events.at(-1)!);
    await l.store.projection.confirm(a.state.caseId, won.events.at(-1)!);
    const all = short(a.state.caseId, [...a.opening, ...a.next, ...won.events]).map((s, i) => `${i + 1}:${s}`);
    expect(await entriesOf(l.store)).toEqual(all);
    expect(await l.store.ledger.mismatches()).toEqual([]);
    expect(await verifyExport(l.ledger)).toMatchObject({ ok: true, verifiedEntries: all.length });
  });

  test('PostgreSQL refuses to change the ledger, and a role that is not its owner cannot even try', async () => {
    await l.caseWithHistory();
    await expect(l.db.prisma.$executeRaw`UPDATE "LedgerEntry" SET "eventHash" = 'x' WHERE "ledgerSeq" = 1`).rejects.toThrow(/append-only/);
    await expect(l.db.prisma.$executeRaw`DELETE FROM "LedgerEntry" WHERE "ledgerSeq" = 1`).rejects.toThrow(/append-only/);
    await expect(l.db.prisma.$executeRaw`TRUNCATE "LedgerEntry"`).rejects.toThrow(/append-only/);
    await l.ledger.checkpoint();
    await expect(l.db.prisma.$executeRaw`DELETE FROM "LedgerCheckpoint"`).rejects.toThrow(/append-only/);

    const role = `ledger_app_${randomUUID().slice(0, 8)}`;
    await l.superuser(async (c) => {
      await c.query(`CREATE ROLE ${role} NOLOGIN`);
      try {
        await c.query(`GRANT SELECT, INSERT ON "LedgerEntry" TO ${role}`);
        await c.query('BEGIN');
        await c.query(`SET LOCAL ROLE ${role}`);
        await expect(c.query(`UPDATE "LedgerEntry" SET "eventHash" = 'x'`)).rejects.toThrow(/permission denied/);
        await c.query('ROLLBACK');
      } finally {
        await c.query(`DROP OWNED BY ${role}`);
        await c.query(`DROP ROLE ${role}`);
      }
    });
  });

  test('a clean ledger verifies, and verification says since when it is sure', async () => {
    expect(await l.ledger.checkpoint()).toBeNull(); // nothing to sign yet
    await l.caseWithHistory();
    const first = await l.ledger.checkpoint();
    expect(first).toMatchObject({ size: 2, keyId: signer.keyId, at: T(30).toISOString() });
    expect(await l.ledger.checkpoint()).toBeNull(); // the head is signed already
    await l.caseWithHistory();
    l.setClock(T(40));
    const second = await l.ledger.checkpoint();
    expect(second).toMatchObject({ size: 4, at: T(40).toISOString() });

    const result = await verifyExport(l.ledger);
    expect(result).toEqual({
      ok: true,
      pages: 1,
      verifiedEntries: 4,
      firstBadEntry: null,
      badCheckpoints: [],
      sureSince: { at: T(30).toISOString(), size: 2 },
      coveredUpTo: { at: T(40).toISOString(), size: 4 },
    });
    // The same a page per entry: each checkpoint is checked where its page reaches its size.
    expect(await verifyExport(l.ledger, 1)).toEqual({ ...result, pages: 4 });
  });

  test('a chain over several pages verifies; a page altered, missing, repeated or out of order fails, naming the page and the entry', async () => {
    await l.caseWithHistory();
    await l.caseWithHistory();
    await l.ledger.checkpoint(); // size 4, in the second page
    await l.caseWithHistory();
    const [p1, p2, p3] = await exportPages(l.ledger, 2);
    expect(
      [p1, p2, p3].map(
        (p) => p && [p.afterSeq, p.entries.length, p.nextAfter, p.checkpoints.map((c) => c.size), p.coveredBy?.size ?? null],
      ),
    ).toEqual([
      [0, 2, 2, [], 4],
      [2, 2, 4, [4], 4],
      [4, 2, null, [], null],
    ]);
    expect(p2!.prevHash).toBe(p1!.entries[1]!.hash);
    expect(
      verifyAs([
        ['p1', p1!],
        ['p2', p2!],
        ['p3', p3!],
      ]),
    ).toMatchObject({
      ok: true,
      pages: 3,
      verifiedEntries: 6,
      firstBadEntry: null,
      sureSince: { size: 4 },
      coveredUpTo: { size: 4 },
    });

    const altered = structuredClone(p2!);
    altered.entries[1]!.eventHash = 'e'.repeat(64);
    expect(
      verifyAs([
        ['p1', p1!],
        ['p2', altered],
        ['p3', p3!],
      ]),
    ).toMatchObject({
      ok: false,
      verifiedEntries: 3,
      firstBadEntry: { ledgerSeq: 4, problem: 'hash-mismatch', page: 'p2' },
      badCheckpoints: [{ size: 4, problem: 'beyond-ledger', page: 'p2' }],
      sureSince: null,
    });
    const relinked = { ...structuredClone(p2!), prevHash: 'f'.repeat(64) };
    expect(
      verifyAs([
        ['p1', p1!],
        ['p2', relinked],
        ['p3', p3!],
      ]).firstBadEntry,
    ).toEqual({ ledgerSeq: 3, problem: 'prev-hash-mismatch', page: 'p2' });
    expect(
      verifyAs([
        ['p1', p1!],
        ['p3', p3!],
      ]),
    ).toMatchObject({
      verifiedEntries: 2,
      firstBadEntry: { ledgerSeq: 3, problem: 'page-gap', page: 'p3' },
      // p1's coveredBy: signed, never reached.
      badCheckpoints: [{ size: 4, problem: 'beyond-ledger', page: 'p1' }],
    });
    expect(
      verifyAs([
        ['p1', p1!],
        ['p3', p3!],
        ['p2', p2!],
      ]).firstBadEntry,
    ).toEqual({ ledgerSeq: 3, problem: 'page-gap', page: 'p3' });
    expect(
      verifyAs([
        ['p2', p2!],
        ['p1', p1!],
        ['p3', p3!],
      ]).firstBadEntry,
    ).toEqual({ ledgerSeq: 1, problem: 'page-gap', page: 'p2' });
    expect(
      verifyAs([
        ['p1', p1!],
        ['p2', p2!],
        ['p2 again', p2!],
        ['p3', p3!],
      ]).firstBadEntry,
    ).toEqual({
      ledgerSeq: 5,
      problem: 'page-overlap',
      page: 'p2 again',
    });
    expect(
      verifyAs([
        ['p1', p1!],
        ['p2', p2!],
      ]),
    ).toMatchObject({
      verifiedEntries: 4,
      firstBadEntry: { ledgerSeq: 5, problem: 'pages-end-early', page: 'p2' },
      sureSince: { size: 4 },
    });
    // Checkpoints kept outside the database count when the database's copies are gone, and are checked the same way.
    const external = new LedgerVerifier(check);
    external.checkpoint('checkpoints.jsonl:1', p2!.checkpoints[0]!);
    external.checkpoint('checkpoints.jsonl:2', { ...p2!.checkpoints[0]!, size: 5 });
    for (const [label, page] of [p1!, p2!, p3!].entries()) external.page(`p${label + 1}`, { ...page, checkpoints: [], coveredBy: null });
    expect(external.result()).toMatchObject({
      ok: false,
      firstBadEntry: null,
      badCheckpoints: [{ size: 5, problem: 'bad-signature', page: 'checkpoints.jsonl:2' }],
      sureSince: { size: 4 },
    });
    // A checkpoint moved to a page it does not fall in is refused, even with a good signature.
    const moved = { ...structuredClone(p3!), checkpoints: p2!.checkpoints };
    expect(
      verifyAs([
        ['p1', p1!],
        ['p2', { ...p2!, checkpoints: [] }],
        ['p3', moved],
      ]),
    ).toMatchObject({
      firstBadEntry: null,
      badCheckpoints: [{ size: 4, problem: 'outside-page', page: 'p3' }],
    });
  });

  test('a row a superuser edits behind the trigger is found, naming the first bad entry', async () => {
    const a = await l.caseWithHistory();
    await l.caseWithHistory();
    await l.ledger.checkpoint();
    db.ledgerTampered = true;
    db.tampered.add(a.state.caseId);
    // Rewrite one event and its ledger entry to match, as someone who could also recompute the case's chain would.
    await l.superuser(async (c) => {
      await c.query(`SET session_replication_role = replica`);
      await c.query(`UPDATE "LedgerEntry" SET "eventHash" = $1 WHERE "ledgerSeq" = 2`, ['e'.repeat(64)]);
    });
    const result = await verifyExport(l.ledger);
    expect(result).toMatchObject({
      ok: false,
      verifiedEntries: 1,
      firstBadEntry: { ledgerSeq: 2, problem: 'hash-mismatch' },
      badCheckpoints: [{ size: 4, problem: 'beyond-ledger' }],
      sureSince: null,
    });
    // The stored chain no longer matches what the ledger took.
    expect(await l.store.ledger.mismatches()).toEqual([{ caseId: a.state.caseId, seq: 2, problem: 'event-rewritten' }]);
  });

  test('an entry a superuser deletes is found, and so are the case events deleted with it', async () => {
    await l.caseWithHistory();
    l.setClock(T(31));
    await l.ledger.checkpoint();
    const b = await l.caseWithHistory();
    l.setClock(T(32));
    await l.ledger.checkpoint();
    db.ledgerTampered = true;
    db.tampered.add(b.state.caseId);
    await l.superuser(async (c) => {
      await c.query(`SET session_replication_role = replica`);
      await c.query(`DELETE FROM "LedgerEntry" WHERE "ledgerSeq" = 3`);
      await c.query(`DELETE FROM "CaseEvent" WHERE "caseId" = $1`, [b.state.caseId]);
    });
    const result = await verifyExport(l.ledger);
    expect(result).toMatchObject({
      ok: false,
      verifiedEntries: 2,
      firstBadEntry: { ledgerSeq: 3, problem: 'missing-entry' },
      badCheckpoints: [{ size: 4, problem: 'beyond-ledger' }],
      // What the first checkpoint signed still holds.
      sureSince: { size: 2, at: T(31).toISOString() },
      coveredUpTo: { size: 2, at: T(31).toISOString() },
    });
    expect(await l.store.ledger.mismatches()).toEqual([{ caseId: b.state.caseId, seq: 2, problem: 'event-missing' }]);
  });

  test('a forged checkpoint fails its signature', async () => {
    await l.caseWithHistory();
    const genuine = (await l.ledger.checkpoint())!;
    db.ledgerTampered = true;
    const otherKey = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const forged = { size: 1, headHash: 'a'.repeat(64), at: T(50).toISOString() };
    await l.superuser(async (c) => {
      // Signed by another key but claiming ours; and ours with a later time pasted in.
      await c.query(
        `INSERT INTO "LedgerCheckpoint" (size, "headHash", at, "keyId", signature) VALUES ($1, $2, $3, $4, $5), ($6, $7, $8, $9, $10)`,
        [
          forged.size,
          forged.headHash,
          forged.at,
          signer.keyId,
          ledgerSigner(otherKey).sign(checkpointMessage(forged)),
          3,
          genuine.headHash,
          T(55).toISOString(),
          genuine.keyId,
          genuine.signature,
        ],
      );
    });
    const result = await verifyExport(l.ledger);
    expect(result.badCheckpoints).toEqual([
      { size: 1, at: T(50).toISOString(), problem: 'bad-signature', page: 'page 1' },
      { size: 3, at: T(55).toISOString(), problem: 'bad-signature', page: 'page 1' },
    ]);
    expect(result).toMatchObject({ ok: false, firstBadEntry: null, sureSince: { size: 2 } });
  });

  test('the API publishes the public key to anyone and the export to auditors; they verify together', async () => {
    await l.caseWithHistory();
    await l.ledger.checkpoint();
    const app = createApp({
      store: l.store,
      // The ledger's routes reach neither Temporal nor the workflows.
      temporal: { client: undefined as never, taskQueue: 'unused', rpcTimeoutMs: 1000 },
      verifyToken: createTokenVerifier(TEST_AUTH),
      ruleSet: BUILT_IN_RULE_SETS.demo as RuleSet,
      logger: createLogger('silent'),
      ledgerSigner: signer,
      publicChallengeSecret: TEST_CHALLENGE_SECRET,
    });
    const key = await request(app).get('/api/v1/ledger/public-key');
    expect(key.status).toBe(200);
    expect(key.body).toEqual({ keyId: signer.keyId, algorithm: 'Ed25519', publicKeyPem: signer.publicKeyPem });
    expect(
      (
        await request(app)
          .get('/api/v1/ledger/export')
          .set('Authorization', await bearer('clerk-jsl'))
      ).status,
    ).toBe(403);
    const auditor = await bearer('auditor-1');
    const first = await request(app).get('/api/v1/ledger/export?limit=1').set('Authorization', auditor);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ afterSeq: 0, prevHash: GENESIS_HASH, nextAfter: 1, checkpoints: [], coveredBy: { size: 2 } });
    const second = await request(app).get(`/api/v1/ledger/export?after=${first.body.nextAfter}&limit=1`).set('Authorization', auditor);
    expect(second.body).toMatchObject({ afterSeq: 1, nextAfter: null, checkpoints: [{ size: 2 }] });
    expect(
      verifyLedgerPages([first.body as LedgerPage, second.body as LedgerPage], signatureCheck(key.body.publicKeyPem as string)),
    ).toMatchObject({
      ok: true,
      pages: 2,
      verifiedEntries: 2,
      sureSince: { size: 2 },
    });
    // A cursor past the head, or a page size out of range, is refused with what to send instead.
    const beyond = await request(app).get('/api/v1/ledger/export?after=3').set('Authorization', auditor);
    expect(beyond.status).toBe(400);
    expect(beyond.body.detail).toMatch(/no entry #3/);
    expect((await request(app).get('/api/v1/ledger/export?limit=0').set('Authorization', auditor)).status).toBe(400);
    expect((await request(app).get('/api/v1/ledger/export?limit=20001').set('Authorization', auditor)).status).toBe(400);
  });

  test('npm run ledger:verify checks the pages of an export offline with the public key alone, naming the page that breaks', async () => {
    await l.caseWithHistory();
    await l.ledger.checkpoint();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ledger-'));
    await l.caseWithHistory();
    const [p1, p2] = await exportPages(l.ledger, 2);
    const write = (folder: string, pages: [string, LedgerPage][]) => {
      fs.mkdirSync(path.join(dir, folder));
      for (const [name, page] of pages) fs.writeFileSync(path.join(dir, folder, name), JSON.stringify(page));
    };
    // Folders are read in natural order: 2.json before 10.json.
    write('clean', [
      ['2.json', p1!],
      ['10.json', p2!],
    ]);
    const edited = { ...p2!, entries: p2!.entries.map((e) => (e.ledgerSeq === 4 ? { ...e, seq: 7 } : e)) };
    write('edited', [
      ['2.json', p1!],
      ['10.json', edited],
    ]);
    write('missing', [['10.json', p2!]]);
    fs.writeFileSync(path.join(dir, 'public.pem'), signer.publicKeyPem);
    const run = (...files: string[]) =>
      promisify(execFile)(process.execPath, [
        '--import',
        'tsx',
        'scripts/ledger-verify.ts',
        ...files.map((f) => path.join(dir, f)),
        '--public-key',
        path.join(dir, 'public.pem'),
      ]).then(
        (r) => ({ code: 0, out: r.stdout }),
        (err: { code: number; stdout: string }) => ({ code: err.code, out: err.stdout }),
      );
    const clean = await run('clean');
    expect(clean).toMatchObject({
      code: 0,
      out: expect.stringMatching(/ledger intact: 4 entries in 2 page\(s\).*sure since .*2026-12-01T02:30:00.000Z/s),
    });
    // Files named one by one are read in the order given.
    expect(await run('clean/10.json', 'clean/2.json')).toMatchObject({
      code: 1,
      out: expect.stringMatching(/#1 \(page-gap\) in .*clean\/10\.json/),
    });
    expect(await run('edited')).toMatchObject({
      code: 1,
      out: expect.stringMatching(/first bad entry: #4 \(hash-mismatch\) in .*edited\/10\.json/),
    });
    expect(await run('missing')).toMatchObject({
      code: 1,
      out: expect.stringMatching(/first bad entry: #1 \(page-gap\) in .*missing\/10\.json/),
    });
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
