import { z } from 'zod';
import type { ActorRef, ProcessDefinition } from '../../process/definition';
import { APPEAL_GROUNDS } from './rules';

/**
 * 复核/申诉: a worker (through the clerk) asks for review of a decision on their records: an error-tolerance
 * ruling, an exit, an annual assessment result or a disciplinary measure. A case of its own, linked to the
 * original by `appealOf` (the original case's id; for a disciplinary measure, the record's id).
 */
export const appealPayload = z.object({
  appealOf: z.string().trim().min(1).max(100).describe('the id of the case (or disciplinary record) whose decision is appealed'),
  ground: z.enum(APPEAL_GROUNDS).describe('the kind of decision appealed: error-tolerance, exit, assessment or discipline'),
  reason: z.string().trim().min(1).max(4000).describe("the appellant's grounds (申请理由)"),
});

/** 维持原决定 / 撤销（变更）原决定: dismissed keeps the original; upheld reverses it on the records. */
export const APPEAL_RESULTS = ['upheld', 'dismissed'] as const;
export type AppealResult = (typeof APPEAL_RESULTS)[number];

/** The reviewing body by ground: above or apart from the original's (the rule set's approval matrix). */
const reviewer = (stage: string): ActorRef => ({
  byPayload: 'ground',
  approvals: Object.fromEntries(APPEAL_GROUNDS.map((g) => [g, `appeal.${stage}.${g}`])),
});

export const definition = {
  type: 'appeal' as const,
  version: 1,
  title: { zh: '复核申诉', en: 'Appeal (review of a decision)' },
  description: {
    zh: '本人对容错纠错认定、退出决定、年度考核结果或处分不服的，在规定期限内经社区书面申请复核；由原决定机关的上级或其他机关受理，原决定人员一律回避；听取本人陈述后作出复核决定，书面答复申请人。撤销原决定的，在档案中记载，原案件记录不作改动。',
    en: 'A worker who disputes an error-tolerance ruling, an exit decision, an assessment result or a disciplinary measure asks in writing, through the community, within the period the rules give; a body above or apart from the original decider hears it, and nobody who decided the original takes part; the worker is heard, the body decides and replies in writing. An appeal upheld reverses the original on the records; the original case’s history is never changed.',
  },
  payload: () => appealPayload,
  stages: [
    {
      id: 'acceptance',
      title: { zh: '受理复核申请', en: 'The appeal is accepted' },
      actor: reviewer('acceptance'),
      mode: 'any',
      deadline: 'appeal.acceptance',
      reminders: ['reminder.first'],
      onExpiry: 'escalate',
      recheckEligibility: true,
    },
    {
      id: 'hearing',
      title: { zh: '听取申请人陈述', en: 'The appellant is heard' },
      kind: 'record',
      actor: reviewer('hearing'),
      mode: 'any',
      deadline: 'appeal.hearing',
      onExpiry: 'none',
      fields: [
        { name: 'heardOn', title: { zh: '听取陈述日期', en: 'Heard on' }, type: 'date', required: true },
        { name: 'statement', title: { zh: '申请人陈述', en: "The appellant's statement" }, type: 'string', required: true },
      ],
    },
    {
      id: 'decision',
      title: { zh: '作出复核决定', en: 'The appeal is decided' },
      actor: reviewer('decision'),
      mode: 'any',
      deadline: 'appeal.decision',
      onExpiry: 'none',
      fields: [
        { name: 'result', title: { zh: '复核结果', en: 'Result' }, type: 'enum', options: [...APPEAL_RESULTS], required: true },
        { name: 'reasoning', title: { zh: '复核理由', en: 'Reasoning' }, type: 'string', required: true },
      ],
    },
    {
      id: 'reply',
      title: { zh: '书面答复申请人', en: 'Written reply to the appellant' },
      kind: 'record',
      actor: reviewer('reply'),
      mode: 'any',
      deadline: 'appeal.reply',
      onExpiry: 'none',
      fields: [
        { name: 'repliedOn', title: { zh: '答复日期', en: 'Replied on' }, type: 'date', required: true },
        { name: 'replyRef', title: { zh: '答复文号', en: 'Reply reference' }, type: 'string', required: true },
      ],
    },
  ],
  outcome: { stage: 'decision', field: 'result' },
} satisfies ProcessDefinition<typeof appealPayload>;
