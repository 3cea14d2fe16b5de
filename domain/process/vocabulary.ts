/**
 * The statuses, actions and events of a case: the engine's vocabulary, which the API and the web UI speak too. No
 * imports, so the web UI bundles exactly this.
 */

export const CASE_STATUSES = [
  'in_review',
  'returned',
  'public_notice',
  'objection_review',
  'follow_up',
  'completed',
  'rejected',
  'withdrawn',
] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];
export const FINAL_STATUSES: readonly CaseStatus[] = ['completed', 'rejected', 'withdrawn'];
export const isFinal = (status: CaseStatus) => FINAL_STATUSES.includes(status);

export const CASE_ACTIONS = [
  'approve',
  'reject',
  'return',
  'resubmit',
  'withdraw',
  'transfer',
  'add-approver',
  'vote',
  'close-vote',
  'record-meeting',
  'comment',
  'remind',
  'object',
  'resolve-objection',
] as const;
export type CaseAction = (typeof CASE_ACTIONS)[number];

/**
 * What the engine records on its own, besides the submission and people's actions: stages opening, clocks,
 * the public notice, the outcome. Every event of a case is one of CASE_EVENTS.
 */
export const SYSTEM_EVENTS = [
  'stage_opened',
  'stage_scheduled',
  'stage_skipped',
  'stage_unassigned',
  'eligibility_rechecked',
  'reminder',
  'deadline_passed',
  'escalated',
  'auto_approve',
  'auto_reject',
  'vote_failed',
  'decided_by_data',
  'reason_joined',
  'clock_suspended',
  'clock_resumed',
  'notice_opened',
  'notice_paused',
  'notice_resumed',
  'notice_cancelled',
  'notice_completed',
  'outcome_applied',
  'complete',
  /** A stage that names copies (copyTo) was decided: who was sent a copy (抄送), now the case's observers. */
  'copied',
] as const;

/**
 * Files attached to or removed from a case (附件): with the submission, with an action, or on their own. Their
 * SHA-256, size, type, kind and stage enter the hash chain here; the bytes stay in the attachment store.
 */
export const ATTACHMENT_EVENTS = ['attachment_added', 'attachment_removed'] as const;

/** The `action` of a case event: the applicant's submission, an action someone took, or a system event. */
export const CASE_EVENTS = ['submit', ...CASE_ACTIONS, ...ATTACHMENT_EVENTS, ...SYSTEM_EVENTS] as const;
export type CaseEventName = (typeof CASE_EVENTS)[number];

/** How the people assigned to a stage decide (domain/process/definition.ts says what each mode does). */
export const STAGE_MODES = ['single', 'any', 'all', 'collective', 'vote'] as const;

// The values some actions carry (the command schemas in commands.ts use them; the web's forms list them).
/** 同意 / 不同意 / 弃权. */
export const VOTE_CHOICES = ['for', 'against', 'abstain'] as const;
/** A member of a committee at its meeting: attended (实到), absent (缺席, with a reason), or recused (回避, with a reason). */
export const ATTENDANCE = ['present', 'absent', 'recused'] as const;
export type Attendance = (typeof ATTENDANCE)[number];
export type VoteChoice = (typeof VOTE_CHOICES)[number];
/** 前加签 (the added approver decides before the current stage) or 后加签 (after it). */
export const ADD_POSITIONS = ['before', 'after'] as const;
export const OBJECTION_RESOLUTIONS = ['dismissed', 'upheld'] as const;
/**
 * How an objection reached the case: through the public notice page (public), or recorded by staff as it came
 * (by telephone, letter, in person), or entered by a signed-in user themselves (online).
 */
export const OBJECTION_CHANNELS = ['public', 'phone', 'letter', 'in-person', 'online'] as const;
export type ObjectionChannel = (typeof OBJECTION_CHANNELS)[number];
/** What an upheld objection does: the deciding stage decides again, or the case is rejected. */
export const UPHELD_EFFECTS = ['reconsider', 'reject'] as const;
