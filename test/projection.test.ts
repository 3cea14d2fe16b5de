import { randomUUID } from 'node:crypto';
import { ActivityFailure, ApplicationFailure } from '@temporalio/common';
import { createProjectionActivities } from '../activities/projection';
import { GENESIS_HASH, type ChainedEvent } from '../domain/history';
import {
  applyCommand,
  assigneesResolved,
  pendingWork,
  recordedState,
  startCase,
  type CaseCommand,
  type CaseInput,
  type CaseState,
} from '../domain/process/engine';
import { createStore } from '../store';
import type { FencedBatch } from '../store/projection';
import { createTestDatabase, type TestDatabase } from './helpers/database';
import { TEST_DEFINITIONS } from './helpers/test-definitions';

/**
 * recordEvents is one round trip on every action's hot path: it appends the events, moves the case row, replaces
 * the assignees and adds the participants. Fenced (cases since v5): the write of the newest attempt of a workflow
 * task wins, what an attempt that lost wrote is moved out of the chain, and a write of an older attempt changes
 * nothing. Unfenced (older cases): a retried or late batch neither duplicates events nor moves the row back.
 */
describe('projection of case events into PostgreSQL', () => {
  let db: TestDatabase;
  let store: ReturnType<typeof createStore>;
  let projection: ReturnType<typeof createProjectionActivities>;
  beforeAll(async () => {
    db = await createTestDatabase({ seeded: true });
    store = createStore(db.prisma);
    projection = createProjectionActivities({ store });
  });
  afterAll(async () => {
    await db.drop();
  });

  const T = (minute: number) => new Date(Date.UTC(2026, 10, 27, 2, minute));

  async function started(eventFormat?: 2): Promise<{ state: CaseState; events: ChainedEvent[] }> {
    const subject = await store.personnel.entry('w-jsl-01');
    const input: CaseInput = {
      caseId: randomUUID(),
      type: 'promotion',
      definition: TEST_DEFINITIONS.calendar,
      applicantId: 'clerk-jsl',
      subject: {
        id: 'w-jsl-01',
        name: subject!.name,
        userId: null,
        orgUnitId: subject!.orgUnitId,
        orgPath: subject!.orgPath,
        attributes: {},
      },
      payload: { kind: 'regular' },
      calendar: await store.calendar.workflowCalendar(),
      ...(eventFormat ? { eventFormat } : {}),
    };
    const { state, events } = startCase(input, T(0));
    return { state, events: [...events, ...openStage(state, ['sec-jsl', 'dep-jsl'], T(0))] };
  }

  /** Resolves the stage the engine asks for with the given users and returns every event since the last call. */
  function openStage(state: CaseState, eligible: string[], at: Date): ChainedEvent[] {
    const work = pendingWork(state);
    if (work?.kind !== 'resolve-assignees') throw new Error(`expected a stage to open, got ${JSON.stringify(work)}`);
    return assigneesResolved(state, work, { eligible }, at);
  }

  /** What an attempt of a workflow task hands over after `command` on a copy of `state`. */
  function attempt(state: CaseState, command: CaseCommand, at: Date) {
    const copy = structuredClone(state);
    const events = applyCommand(copy, command, at);
    if (pendingWork(copy)?.kind === 'resolve-assignees') events.push(...openStage(copy, ['dgw-nhl-1', 'dgw-nhl-2'], at));
    return { state: copy, events };
  }

  const batch = (
    caseId: string,
    state: CaseState,
    events: ChainedEvent[],
    fence: [number, number],
    prior: ChainedEvent | null,
  ): FencedBatch => ({
    caseId,
    events,
    state: recordedState(state),
    fence: { historyLength: fence[0], at: T(fence[1]).toISOString() },
    prior: prior ? { seq: prior.seq, hash: prior.hash } : { seq: 0, hash: GENESIS_HASH },
  });

  const stored = async (caseId: string) =>
    (await db.prisma.caseEvent.findMany({ where: { caseId }, orderBy: { seq: 'asc' } })).map(
      (e) => `${e.seq}:${e.action}:${e.hash.slice(0, 8)}`,
    );
  const row = (caseId: string) =>
    db.prisma.case.findUniqueOrThrow({
      where: { id: caseId },
      include: { assignees: { select: { userId: true }, orderBy: { userId: 'asc' } } },
    });
  const short = (events: ChainedEvent[]) => events.map((e) => `${e.seq}:${e.action}:${e.hash.slice(0, 8)}`);

  test('the newest attempt of a workflow task wins; what a lost attempt wrote is moved out of the chain', async () => {
    const { state, events: opening } = await started(2);
    const caseId = state.caseId;
    const head = opening.at(-1) as ChainedEvent;
    expect(await projection.recordEvents(batch(caseId, state, opening, [5, 0], null))).toEqual({
      seq: head.seq,
      hash: head.hash,
      written: true,
    });

    // The lost attempt took a comment and an approval; the attempt that won only the approval, a minute later.
    const lost = attempt(state, { action: 'comment', actorId: 'sec-jsl', comment: '先记一笔' }, T(1));
    const lostMore = attempt(lost.state, { action: 'approve', actorId: 'sec-jsl' }, T(1));
    await projection.recordEvents(batch(caseId, lostMore.state, [...lost.events, ...lostMore.events], [9, 1], head));
    const won = attempt(state, { action: 'approve', actorId: 'dep-jsl' }, T(2));
    const recorded = await projection.recordEvents(batch(caseId, won.state, won.events, [9, 2], head));
    expect(recorded).toEqual({
      seq: (won.events.at(-1) as ChainedEvent).seq,
      hash: (won.events.at(-1) as ChainedEvent).hash,
      written: true,
    });

    expect(await stored(caseId)).toEqual(short([...opening, ...won.events]));
    const discarded = await db.prisma.discardedCaseEvent.findMany({ where: { caseId }, orderBy: { seq: 'asc' } });
    expect(discarded.map((e) => `${e.seq}:${e.action}:${e.reason}`)).toEqual(
      [...lost.events, ...lostMore.events].map((e) => `${e.seq}:${e.action}:lost-attempt`),
    );
    const now = await row(caseId);
    expect(now).toMatchObject({ lastSeq: won.state.seq, lastHash: won.state.lastHash, currentStage: 'street', fenceLength: 9 });
    expect(now.assignees.map((a) => a.userId)).toEqual(['dgw-nhl-1', 'dgw-nhl-2']);

    // The lost attempt's worker, still alive, writes again later: nothing changes, and it is kept for auditors.
    const late = await projection.recordEvents(batch(caseId, lostMore.state, [...lost.events, ...lostMore.events], [9, 1], head));
    expect(late).toEqual({ seq: won.state.seq, hash: won.state.lastHash, written: false });
    expect(await stored(caseId)).toEqual(short([...opening, ...won.events]));
    expect(await db.prisma.discardedCaseEvent.count({ where: { caseId, reason: 'stale-attempt' } })).toBe(
      lost.events.length + lostMore.events.length,
    );
  });

  test('a write of a later workflow task confirms the head before it; a confirmed event is never moved', async () => {
    const { state, events: opening } = await started(2);
    const caseId = state.caseId;
    const head = opening.at(-1) as ChainedEvent;
    await projection.recordEvents(batch(caseId, state, opening, [5, 0], null));
    expect((await row(caseId)).confirmedSeq).toBe(0);
    const next = attempt(state, { action: 'comment', actorId: 'sec-jsl', comment: '意见' }, T(3));
    await projection.recordEvents(batch(caseId, next.state, next.events, [9, 3], head));
    expect((await row(caseId)).confirmedSeq).toBe(head.seq);

    // Another attempt whose history differs before the confirmed head is refused at once, not retried.
    const other = await started(2);
    const forged = { ...batch(caseId, other.state, other.events, [20, 9], null), caseId };
    const refusal = await projection.recordEvents(forged).catch((err: unknown) => err);
    expect(refusal).toBeInstanceOf(ApplicationFailure);
    expect(refusal).toMatchObject({ type: 'projection-refused', nonRetryable: true, message: expect.stringMatching(/CH002/) });
    // A batch whose head before it the history lacks, likewise.
    const gap = attempt(next.state, { action: 'comment', actorId: 'sec-jsl', comment: '又一条' }, T(4));
    const missing = await projection
      .recordEvents(batch(caseId, gap.state, gap.events, [12, 4], { ...(next.events.at(-1) as ChainedEvent), hash: 'f'.repeat(64) }))
      .catch((err: unknown) => err);
    expect(missing).toMatchObject({ type: 'projection-refused', message: expect.stringMatching(/CH001/) });
    expect(missing).not.toBeInstanceOf(ActivityFailure);
  });

  test('content PostgreSQL refuses fails at once, as not retryable', async () => {
    const { state, events } = await started(2);
    const bad = attempt(state, { action: 'comment', actorId: 'sec-jsl', comment: 'a\u0000b' }, T(5));
    await projection.recordEvents(batch(state.caseId, state, events, [5, 0], null));
    const refusal = await projection
      .recordEvents(batch(state.caseId, bad.state, bad.events, [9, 5], events.at(-1) as ChainedEvent))
      .catch((err: unknown) => err);
    expect(refusal).toMatchObject({ type: 'projection-refused', nonRetryable: true });
    expect((await row(state.caseId)).lastSeq).toBe(events.length);
  });

  test('unfenced (cases started before v5): the row and its assignees move forward only, each event is appended once', async () => {
    const { state, events: opening } = await started();
    const caseId = state.caseId;
    const first = { caseId, events: opening, state: recordedState(structuredClone(state)) };
    const later = attempt(state, { action: 'approve', actorId: 'sec-jsl' }, T(6));
    const second = { caseId, events: later.events, state: recordedState(later.state) };
    const view = async () => {
      const c = await db.prisma.case.findUniqueOrThrow({
        where: { id: caseId },
        include: { assignees: { select: { userId: true }, orderBy: { userId: 'asc' } }, participants: { orderBy: { userId: 'asc' } } },
      });
      return {
        lastSeq: c.lastSeq,
        currentStage: c.currentStage,
        assignees: c.assignees.map((a) => a.userId),
        participants: c.participants.map((p) => p.userId),
      };
    };

    expect(await projection.recordEvents(first)).toBeNull();
    expect(await view()).toEqual({
      lastSeq: opening.length,
      currentStage: 'community',
      assignees: ['dep-jsl', 'sec-jsl'],
      participants: ['clerk-jsl'],
    });
    await projection.recordEvents(second);
    const moved = {
      lastSeq: later.state.seq,
      currentStage: 'street',
      assignees: ['dgw-nhl-1', 'dgw-nhl-2'],
      participants: ['clerk-jsl', 'sec-jsl'],
    };
    expect(await view()).toEqual(moved);

    // The first batch again, late: nothing moves back, nothing is appended twice; the same for the second.
    await projection.recordEvents(first);
    expect(await view()).toEqual(moved);
    await projection.recordEvents(second);
    expect(await view()).toEqual(moved);
    expect(await db.prisma.caseEvent.count({ where: { caseId } })).toBe(later.state.seq);
  });
});
