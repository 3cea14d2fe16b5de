import { createProjectionActivities } from '../activities/projection';
import type { ChainedEvent } from '../domain/history';
import { applyCommand, assigneesResolved, pendingWork, recordedState, startCase, type CaseState } from '../domain/process/engine';
import { caseInputFor, testDefinition, testStage } from './helpers/cases';
import { createTestDatabase, type TestDatabase } from './helpers/database';

/**
 * recordEvents is one SQL statement on every action's hot path: it appends the events, moves the case row
 * forward, replaces the assignees and adds the participants. A retried or late batch (an activity that ran twice, a replay) must
 * neither duplicate events nor move the row or its assignees back.
 */
describe('projection of case events into PostgreSQL', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase({ seeded: true });
  });
  afterAll(async () => {
    await db.drop();
  });

  /** Resolves the stage the engine asks for with the given users and returns every event since the last call. */
  function openStage(state: CaseState, eligible: string[], at: Date): ChainedEvent[] {
    const work = pendingWork(state);
    if (work?.kind !== 'resolve-assignees') throw new Error(`expected a stage to open, got ${JSON.stringify(work)}`);
    return assigneesResolved(state, work, { eligible }, at);
  }

  test('moves the case row and its assignees forward only, and appends each event once', async () => {
    const projection = createProjectionActivities({ prisma: db.prisma });
    const input = await caseInputFor(db.prisma, testDefinition([testStage({ id: 'review' }), testStage({ id: 'decision' })]), 'w-jsl-01');
    const at = new Date('2026-11-27T02:00:00Z');
    const started = startCase(input, at);
    const state = started.state;
    const first = {
      caseId: input.caseId,
      events: [...started.events, ...openStage(state, ['dgw-nhl-1', 'dep-jsl'], at)],
      state: recordedState(structuredClone(state)),
    };
    const later = new Date('2026-11-27T03:00:00Z');
    const second = {
      caseId: input.caseId,
      events: [
        ...applyCommand(state, { action: 'approve', actorId: 'dgw-nhl-1' }, later),
        ...openStage(state, ['dep-jsl', 'auditor-1'], later),
      ],
      state: recordedState(structuredClone(state)),
    };

    const row = async () => {
      const c = await db.prisma.case.findUniqueOrThrow({
        where: { id: input.caseId },
        include: { assignees: { select: { userId: true }, orderBy: { userId: 'asc' } }, participants: { orderBy: { userId: 'asc' } } },
      });
      return {
        lastSeq: c.lastSeq,
        lastHash: c.lastHash,
        currentStage: c.currentStage,
        assignees: c.assignees.map((a) => a.userId),
        participants: c.participants.map((p) => `${p.userId} ${p.orgPath}`),
      };
    };
    const orgPath = input.subject.orgPath;
    const events = () => db.prisma.caseEvent.count({ where: { caseId: input.caseId } });
    const head = (batch: typeof first) => batch.events[batch.events.length - 1] as ChainedEvent;

    await projection.recordEvents(first);
    // The applicant submitted; approvers take part once they record something.
    expect(await row()).toEqual({
      lastSeq: head(first).seq,
      lastHash: head(first).hash,
      currentStage: 'review',
      assignees: ['dep-jsl', 'dgw-nhl-1'],
      participants: [`clerk-jsl ${orgPath}`],
    });

    await projection.recordEvents(second);
    const moved = {
      lastSeq: head(second).seq,
      lastHash: head(second).hash,
      currentStage: 'decision',
      assignees: ['auditor-1', 'dep-jsl'],
      participants: [`clerk-jsl ${orgPath}`, `dgw-nhl-1 ${orgPath}`],
    };
    expect(await row()).toEqual(moved);
    expect(await events()).toBe(first.events.length + second.events.length);

    // The first batch again, late: nothing moves back, nothing is appended twice; the same for the second.
    await projection.recordEvents(first);
    expect(await row()).toEqual(moved);
    await projection.recordEvents(second);
    expect(await row()).toEqual(moved);
    expect(await events()).toBe(first.events.length + second.events.length);
  });
});
