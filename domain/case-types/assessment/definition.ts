import { z } from 'zod';
import { ASSESSMENT_RESULTS } from '../../personnel';
import type { ProcessDefinition } from '../../process/definition';

/**
 * 年度考核: one worker's annual assessment, a child case of the community's yearly assessment (a case group of
 * kind annual-assessment, services/assessments.ts). The group holds what covers the whole list (the 民主测评
 * scores with who gave them, the evaluation group's proposal checked against the 优秀 cap, the review period);
 * this case holds the worker's own steps, so each result has its own history and can be appealed (复核) by id.
 */
export const assessmentPayload = z.object({
  year: z.int().min(2000).max(2100).describe('the year assessed'),
});

export const definition = {
  type: 'assessment' as const,
  version: 1,
  title: { zh: '年度考核', en: 'Annual assessment' },
  description: {
    zh: '社区工作者年度考核：本人述职，居民代表和同事民主测评，社区考核小组提出考核等次建议（优秀比例不超过规定，基本合格、不合格须写明理由），街道党（工）委确认，书面通知本人；本人在复核期限内可申请复核，期满无复核申请的结果记入档案。',
    en: 'The annual assessment of a community worker: the worker reports on the year (述职), residents’ representatives and colleagues score them (民主测评), the community’s evaluation group proposes a result (优秀 within the cap; 基本合格 and 不合格 with a written reason), the street party committee confirms it and the worker is told in writing; within the review period the worker may ask for a review (复核), and a result with no review asked for enters the records when the period ends.',
  },
  payload: () => assessmentPayload,
  stages: [
    {
      id: 'self-report',
      title: { zh: '本人述职', en: 'The worker reports on the year (述职)' },
      kind: 'record',
      actor: 'assessment.self-report',
      mode: 'any',
      onExpiry: 'none',
      fields: [{ name: 'report', title: { zh: '述职报告', en: 'Self-report' }, type: 'string', required: true }],
    },
    {
      id: 'evaluation',
      title: { zh: '民主测评', en: 'Democratic evaluation (民主测评)' },
      kind: 'record',
      actor: 'assessment.evaluation',
      mode: 'any',
      onExpiry: 'none',
      fields: [
        { name: 'score', title: { zh: '测评得分', en: 'Evaluation score' }, type: 'number', required: true, min: 0, max: 100 },
        { name: 'evaluators', title: { zh: '测评人数', en: 'Evaluators' }, type: 'number', required: true, min: 1 },
        { name: 'scoresRef', title: { zh: '测评记录', en: 'Score sheet' }, type: 'string', required: true },
      ],
    },
    {
      id: 'proposal',
      title: { zh: '考核小组提出等次建议', en: "The evaluation group's proposal" },
      kind: 'record',
      actor: 'assessment.proposal',
      mode: 'any',
      onExpiry: 'none',
      fields: [
        {
          name: 'result',
          title: { zh: '建议等次', en: 'Proposed result' },
          type: 'enum',
          options: [...ASSESSMENT_RESULTS],
          required: true,
        },
        { name: 'reason', title: { zh: '理由', en: 'Reason' }, type: 'string' },
      ],
    },
    {
      id: 'street-confirmation',
      title: { zh: '街道党（工）委确认', en: 'The street party committee confirms' },
      actor: 'assessment.street-confirmation',
      mode: 'any',
      deadline: 'assessment.streetConfirmation',
      reminders: ['reminder.first'],
      onExpiry: 'none',
    },
    {
      id: 'notification',
      title: { zh: '书面通知本人', en: 'The worker is told in writing' },
      kind: 'record',
      actor: 'assessment.notification',
      mode: 'any',
      onExpiry: 'none',
      fields: [
        { name: 'notifiedOn', title: { zh: '通知日期', en: 'Notified on' }, type: 'date', required: true },
        { name: 'reviewEndsAt', title: { zh: '复核申请截止', en: 'Review may be asked until' }, type: 'string', required: true },
      ],
    },
  ],
  outcome: { stage: 'proposal', field: 'result' },
} satisfies ProcessDefinition<typeof assessmentPayload>;
