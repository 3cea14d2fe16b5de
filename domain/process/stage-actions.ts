import { localDate, remainingPeriod } from '../calendar';
import type { ChainedEvent, Json } from '../history';
import type { Localized } from '../localized';
import { byActor, type ActionRules } from './action-rule';
import { attendanceProblems, tallyHeadcount, tallyMeeting, type MemberAtMeeting } from './collective';
import { evaluateCondition, fieldProblems, type DecisiveRule, type StageMode } from './definition';
import { emit } from './events';
import { conflict, invalid, onStage } from './permissions';
import { completeStage, enterStage, planIndexOf, recordStageResult, rejectCase } from './stages';
import { currentStage, excludedFrom, iso, kindOf, type CaseState, type OpenStage, type StageInstance } from './state';

const MEETING = 'this stage is decided at a meeting of the committee: record the meeting (record-meeting)';

/** The headcount of a residents' meeting recorded at a stage, when the stage records one. */
function headcountOf(stage: StageInstance, data: Record<string, Json> | undefined) {
  if (!stage.headcount || !data) return null;
  const n = (name: string) => (typeof data[name] === 'number' ? data[name] : 0);
  return tallyHeadcount(n('entitled'), n('present'), n('votesFor'), stage.headcount);
}

/** The stage's recorded result, and the rule its data triggers when the data itself decides otherwise. */
type Decision = { recorded: Record<string, Json>; rule: Pick<DecisiveRule, 'effect' | 'reason'> | null };

/**
 * The stage has been decided in favour, or its data has been recorded: records the result (with a residents'
 * meeting's headcount) before the event that decides it, so that event already covers it, and finds whether the
 * data itself decides otherwise (a failed check, a discipline objection, a motion that did not pass).
 */
function recordDecision(state: CaseState, data: Record<string, Json>, deciders: string[]): Decision {
  const stage = currentStage(state) as StageInstance;
  const headcount = headcountOf(stage, data);
  const recorded: Record<string, Json> = headcount ? { ...data, tally: headcount } : data;
  const failedVote = headcount && !headcount.passed ? { effect: 'reject' as const, reason: HEADCOUNT_FAILED } : null;
  recordStageResult(state, recorded, deciders);
  // Stages of earlier definitions have no decisive data, so they complete as they always did.
  return { recorded, rule: stage.decisive?.find((r) => evaluateCondition(r.when, { data: recorded })) ?? failedVote };
}

/** After the deciding event: the case ends or goes back to the stage the rule names, with the reason recorded; otherwise it moves on. */
function decideStage(state: CaseState, now: Date, out: ChainedEvent[], { recorded, rule }: Decision): void {
  if (!rule) {
    completeStage(state, now, out);
    return;
  }
  const stage = currentStage(state) as StageInstance;
  const effect: Record<string, Json> = rule.effect === 'reject' ? { effect: 'reject' } : { effect: 'back', backTo: rule.effect.backTo };
  if (rule.effect === 'reject') {
    rejectCase(state, now);
    emit(state, now, out, 'decided_by_data', {
      stage: stage.id,
      status: 'rejected',
      data: { ...effect, reason: { ...rule.reason }, data: recorded },
    });
  } else {
    emit(state, now, out, 'decided_by_data', { stage: stage.id, data: { ...effect, reason: { ...rule.reason }, data: recorded } });
    enterStage(state, planIndexOf(state, rule.effect.backTo), now, out);
  }
}

const HEADCOUNT_FAILED: Localized = { zh: '表决未获通过', en: 'The motion did not pass' };

/** Problems with the numbers of a residents' meeting: counts that cannot be, or a meeting that could not be held. */
function headcountProblems(stage: StageInstance, data: Record<string, Json> | undefined) {
  const tally = headcountOf(stage, data);
  if (!tally) return null;
  if (tally.present > tally.entitled) return invalid('data.present: more present than entitled to attend');
  if (tally.votesFor > tally.present) return invalid('data.votesFor: more votes for than members present');
  if (!tally.quorate) {
    return conflict(`the meeting could not decide: ${tally.present} of ${tally.entitled} present, fewer than the rules require (居民会议)`);
  }
  return null;
}

/**
 * The actions of the people assigned to the open stage: deciding it, returning the case, handing it on, voting,
 * recording a committee's meeting.
 */
export const STAGE_ACTIONS: ActionRules<
  'approve' | 'reject' | 'return' | 'transfer' | 'add-approver' | 'vote' | 'close-vote' | 'record-meeting'
> = {
  approve: {
    who: (state, actorId) =>
      onStage(state, actorId, ({ stage, current, approved }) => {
        if (stage.mode === 'vote') return conflict('this stage decides by vote');
        if (stage.mode === 'collective') return conflict(MEETING);
        if (approved) return conflict('you have already approved this stage');
        if (current.needsEligibility) return conflict('eligibility is being re-checked');
        if (current.eligibility && !current.eligibility.eligible) {
          return conflict('the subject no longer meets the eligibility rules; the case can only be rejected');
        }
        return null;
      }),
    content(state, command) {
      const stage = currentStage(state);
      const problems = fieldProblems(stage?.fields, command.data);
      if (problems.length) return invalid(problems.join('; '));
      return stage ? headcountProblems(stage, command.data) : null;
    },
    apply(state, command, now, out) {
      const s = currentStage(state) as StageInstance;
      const c = state.current as OpenStage;
      c.approvals.push({ userId: command.actorId, decision: 'approve', at: iso(now), comment: command.comment });
      const base = byActor(state, command);
      // 会签: the stage is decided once every assignee approved; otherwise the first approval decides it.
      const done = s.mode !== 'all' || c.assignees.every((u) => c.approvals.some((a) => a.userId === u));
      const approvers = c.approvals.map((a) => a.userId).filter((u): u is string => u !== null);
      // The result is recorded before the event that decides the stage, so that event already covers it.
      const decision = done ? recordDecision(state, command.data ?? {}, approvers) : null;
      emit(state, now, out, 'approve', { ...base, comment: command.comment, data: command.data ?? {} });
      if (decision) decideStage(state, now, out, decision);
    },
  },

  reject: {
    who: (state, actorId) =>
      onStage(state, actorId, ({ stage }) => {
        const kind = kindOf(stage);
        if (kind !== 'decision') return conflict(`a ${kind} stage is confirmed, not rejected`);
        if (stage.mode === 'vote') return conflict('this stage decides by vote');
        if (stage.mode === 'collective') return conflict(MEETING);
        return null;
      }),
    apply(state, command, now, out) {
      const base = byActor(state, command);
      (state.current as OpenStage).approvals.push({ userId: command.actorId, decision: 'reject', at: iso(now), comment: command.comment });
      state.deciders[command.actorId] = base.stage as string;
      rejectCase(state, now);
      emit(state, now, out, 'reject', { ...base, comment: command.comment, status: 'rejected' });
    },
  },

  return: {
    who: (state, actorId) =>
      onStage(state, actorId, ({ stage }) => (kindOf(stage) === 'follow_up' ? conflict('a follow-up stage cannot return the case') : null)),
    content(state, command) {
      if (command.to === 'applicant') return null;
      const index = planIndexOf(state, command.to);
      if (index < 0 || index >= state.cursor) return invalid(`"${command.to}" is not an earlier stage of this case`);
      return null;
    },
    apply(state, command, now, out) {
      const c = state.current as OpenStage;
      const s = currentStage(state) as StageInstance;
      const resumeStage = command.to === 'applicant' ? s.id : command.to;
      // The clock stops (中止) while the applicant amends; what is left of the deadline resumes on resubmission.
      const remaining =
        resumeStage === s.id && c.dueAt && s.deadline ? remainingPeriod(now, new Date(c.dueAt), s.deadline, state.calendar) : null;
      state.returned = { by: command.actorId, at: iso(now), resumeStage, remaining };
      state.suspensions.push({ from: iso(now), to: null });
      emit(state, now, out, 'return', {
        ...byActor(state, command),
        comment: command.comment,
        status: 'returned',
        data: { to: command.to },
      });
      emit(state, now, out, 'clock_suspended', { stage: s.id, data: { remaining } });
    },
  },

  transfer: {
    who: (state, actorId) =>
      onStage(state, actorId, ({ stage, approved, voted }) => {
        if (stage.mode === 'collective') return conflict('a member of a committee cannot hand their seat on');
        return approved || voted ? conflict('you have already acted on this stage') : null;
      }),
    content(state, command) {
      const current = state.current;
      const stage = currentStage(state);
      if (!current || !stage) return null;
      if (command.toUserId === command.actorId) return invalid('cannot transfer to yourself');
      if (current.assignees.includes(command.toUserId)) return invalid(`${command.toUserId} is already assigned to this stage`);
      if (!current.eligible.includes(command.toUserId) || excludedFrom(state, stage).includes(command.toUserId)) {
        return invalid(`${command.toUserId} does not hold this stage's role or is recused`);
      }
      return null;
    },
    apply(state, command, now, out) {
      const c = state.current as OpenStage;
      c.assignees = c.assignees.map((u) => (u === command.actorId ? command.toUserId : u));
      emit(state, now, out, 'transfer', {
        ...byActor(state, command),
        comment: command.comment,
        data: { from: command.actorId, to: command.toUserId },
      });
    },
  },

  'add-approver': {
    who: (state, actorId) =>
      onStage(state, actorId, ({ stage }) =>
        stage.mode === 'vote' || stage.mode === 'collective' ? conflict('members cannot be added to a vote') : null,
      ),
    content(state, command) {
      const current = state.current;
      const stage = currentStage(state);
      if (!current || !stage) return null;
      // As a decision stage of its own, the added stage excludes everyone who decided any stage of the case.
      if (excludedFrom(state, { ...stage, kind: 'decision', id: '__added__' }).includes(command.userId)) {
        return invalid(`${command.userId} is the applicant, the subject, or already decided this case`);
      }
      if (current.assignees.includes(command.userId)) return invalid(`${command.userId} is already assigned to this stage`);
      return null;
    },
    apply(state, command, now, out) {
      const s = currentStage(state) as StageInstance;
      const base = byActor(state, command);
      state.addedStages += 1;
      const added: StageInstance = {
        id: `added-${state.addedStages}`,
        title: { zh: '加签审批', en: 'Added approver' } satisfies Localized,
        kind: 'decision',
        mode: 'single' satisfies StageMode,
        actor: s.actor,
        fixedAssignee: command.userId,
        addedBy: command.actorId,
        ...(s.deadline ? { deadline: s.deadline } : {}),
        onExpiry: 'none',
      };
      const at = command.position === 'before' ? state.cursor : state.cursor + 1;
      state.plan.splice(at, 0, added);
      emit(state, now, out, 'add-approver', {
        ...base,
        comment: command.comment,
        // "stageKey": the name this field has had in every recorded event.
        data: { userId: command.userId, position: command.position, stageKey: added.id },
      });
      // 前加签: the added approver decides first, then the current stage opens again.
      if (command.position === 'before') enterStage(state, at, now, out);
    },
  },

  vote: {
    who: (state, actorId) =>
      onStage(state, actorId, ({ stage, voted }) => {
        if (stage.mode !== 'vote') return conflict('this stage does not decide by vote');
        return voted ? conflict('you have already voted') : null;
      }),
    apply(state, command, now, out) {
      const c = state.current as OpenStage;
      c.votes.push({ userId: command.actorId, choice: command.choice, at: iso(now), comment: command.comment });
      emit(state, now, out, 'vote', { ...byActor(state, command), comment: command.comment, data: { choice: command.choice } });
    },
  },

  'close-vote': {
    who: (state, actorId) =>
      onStage(state, actorId, ({ stage, current }) => {
        if (stage.mode !== 'vote' || !stage.vote) return conflict('this stage does not decide by vote');
        const share = current.votes.length / Math.max(1, current.assignees.length);
        return share + 1e-9 >= stage.vote.quorum
          ? null
          : conflict(`the quorum is not reached (${current.votes.length} of ${current.assignees.length} voted)`);
      }),
    content(state, command) {
      const problems = fieldProblems(currentStage(state)?.fields, command.data);
      return problems.length ? invalid(problems.join('; ')) : null;
    },
    apply(state, command, now, out) {
      const c = state.current as OpenStage;
      const s = currentStage(state) as StageInstance;
      const tally = { for: 0, against: 0, abstain: 0 };
      for (const v of c.votes) tally[v.choice] += 1;
      const cast = c.votes.length;
      // 集体研究: the majority of the votes cast decides.
      const passed = tally.for > (s.vote?.passShare ?? 0.5) * cast;
      const data = { ...(command.data ?? {}), tally, members: c.assignees.length, passed, minutes: command.minutes };
      const voters = c.votes.map((v) => v.userId);
      if (passed) recordStageResult(state, { ...(command.data ?? {}), tally, minutes: command.minutes }, voters);
      emit(state, now, out, 'close-vote', { ...byActor(state, command), comment: command.minutes, data });
      if (passed) completeStage(state, now, out);
      else {
        for (const u of voters) state.deciders[u] = s.id;
        rejectCase(state, now);
        emit(state, now, out, 'vote_failed', { stage: s.id, status: 'rejected', data: { tally } });
      }
    },
  },

  'record-meeting': {
    who: (state, actorId) =>
      onStage(state, actorId, ({ stage, current }) => {
        if (stage.mode !== 'collective' || !stage.collective) return conflict('this stage is not decided at a committee meeting');
        if (current.needsEligibility) return conflict('eligibility is being re-checked');
        return null;
      }),
    content(state, command) {
      const stage = currentStage(state) as StageInstance;
      const current = state.current as OpenStage;
      const problems = [...fieldProblems(stage.fields, command.data), ...attendanceProblems(command.members, current.assignees)];
      const opened = current.openedAt ? localDate(new Date(current.openedAt)) : null;
      if (opened && command.meetingDate < opened) problems.push(`meetingDate: before the stage opened on ${opened}`);
      if (problems.length) return invalid(problems.join('; '));
      const tally = tallyMeeting(command.members, stage.collective as NonNullable<StageInstance['collective']>);
      if (!tally.quorate) {
        return conflict(
          `no quorum: ${tally.present} of ${tally.expected} members who should attend were present, at least ${tally.quorumNeeds} needed; the meeting cannot decide`,
        );
      }
      if (tally.passed && current.eligibility && !current.eligibility.eligible) {
        return conflict('the subject no longer meets the eligibility rules; the committee can only decide against');
      }
      return null;
    },
    apply(state, command, now, out) {
      const s = currentStage(state) as StageInstance;
      const members: MemberAtMeeting[] = command.members;
      const tally = tallyMeeting(members, s.collective as NonNullable<StageInstance['collective']>);
      const meeting = { meetingDate: command.meetingDate, members, tally, resolution: command.resolution, recordedBy: command.actorId };
      const present = members.filter((m) => m.attendance === 'present').map((m) => m.userId);
      const recorded = { ...(command.data ?? {}), meeting, minutes: command.minutes };
      // Recorded before the meeting's event, so that event already covers it.
      const decision = tally.passed ? recordDecision(state, recorded, present) : null;
      if (!decision) {
        for (const u of present) state.deciders[u] = s.id;
        state.stageData[s.id] = { ...(state.stageData[s.id] ?? {}), meeting, minutes: command.minutes };
      }
      emit(state, now, out, 'record-meeting', {
        ...byActor(state, command),
        comment: command.minutes,
        data: { ...(command.data ?? {}), meeting },
      });
      if (decision) {
        decideStage(state, now, out, decision);
        return;
      }
      // Not adopted: more than half of the members who should attend did not agree.
      rejectCase(state, now);
      emit(state, now, out, 'vote_failed', { stage: s.id, status: 'rejected', data: { tally, meetingDate: command.meetingDate } });
    },
  },
};
