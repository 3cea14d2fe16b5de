import type { Caller } from '../domain/access';
import type { CaseTypeName } from '../domain/case-types/names';
import {
  DECIDING_STAGES,
  NUMBERED,
  availableDocuments,
  composeDocument,
  documentNumber,
  type DocumentFacts,
  type StageRecord,
} from '../domain/documents/compose';
import { DOCUMENT_KINDS, type DocumentKind, type DocumentTemplates } from '../domain/documents/templates';
import { jsonText, type Json } from '../domain/history';
import { POST_TYPE_LABELS } from '../domain/personnel';
import type { RuleSet } from '../domain/rules';
import { renderPdf, type PdfFont } from '../infra/pdf';
import type { Store } from '../store';
import type { CaseQueries } from './case-queries';
import { HttpProblem, notFound } from './problem';

/**
 * The official documents of a case (审批表, 公示, 认定书, 澄清函, 表彰决定, 解除/终止通知书 with 送达回证): the facts are
 * read from the case's record (the dossier, with the caller's visibility), the wording from the templates of the
 * rule set in force, and each letter's 文号 is assigned the first time it is made, gapless per issuer and year.
 */

export interface DocumentServiceDeps {
  store: Pick<Store, 'documents' | 'personnel'>;
  queries: Pick<CaseQueries, 'dossier'>;
  ruleSet: RuleSet;
  templates: DocumentTemplates;
  font: PdfFont;
}

export const DOCUMENT_TITLES: Record<DocumentKind, string> = {
  'approval-form': '审批表',
  'public-notice': '公示',
  'error-tolerance-ruling': '容错纠错认定书',
  'clearance-letter': '澄清函',
  'commendation-decision': '表彰决定',
  'termination-notice': '解除（终止）劳动合同通知书及送达回证',
  'appeal-reply': '复核决定书',
};

/** A date as official documents write it, in China Standard Time: 2026年12月1日. */
export function chineseDate(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(new Date(iso).getTime() + 8 * 3_600_000);
  return `${d.getUTCFullYear()}年${d.getUTCMonth() + 1}月${d.getUTCDate()}日`;
}
const yearOf = (iso: string) => new Date(new Date(iso).getTime() + 8 * 3_600_000).getUTCFullYear();

/** A committee meeting as its record-meeting event holds it (domain/process/collective.ts). */
interface MeetingRecord {
  members: { userId: string; attendance: 'present' | 'absent' | 'recused'; vote?: string; reason?: string }[];
  tally: { expected: number; present: number; for: number; against: number; abstain: number; passed: boolean };
  resolution: string;
}

const DECISION_WORDS: Record<string, string> = {
  approve: '同意',
  reject: '不同意',
  return: '退回修改',
  'close-vote': '集体研究',
  'resolve-objection': '异议处理',
};
const VOTE_WORDS: Record<string, string> = { for: '同意', against: '反对', abstain: '弃权' };
const GENDERS: Record<string, string> = { male: '男', female: '女' };

type Dossier = Awaited<ReturnType<CaseQueries['dossier']>>;

export function createDocumentService({ store, queries, ruleSet, templates, font }: DocumentServiceDeps) {
  async function factsOf(dossier: Dossier): Promise<DocumentFacts> {
    const events = dossier.events;
    const type = dossier.case.type as CaseTypeName;
    const actors = [...new Set(events.map((e) => e.actorId).filter((a): a is string => a !== null))];
    const entry = await store.personnel.entry(dossier.subject.id);
    const segments = (entry?.orgPath ?? '').split('/').filter(Boolean);
    const [names, units] = await Promise.all([store.documents.userNames(actors), store.documents.orgUnitNames(segments)]);
    // The case's community, street and county, from the subject's org path (/province/city/county/street/community/).
    const street = units.get(segments[segments.length - 2] ?? '') ?? '';
    const county = units.get(segments[segments.length - 3] ?? '') ?? '';
    const payload = (dossier.payload ?? {}) as Record<string, Json>;
    const stageData = dossier.stageData;
    const opened = events.find((e) => e.action === 'notice_opened');
    const noticeEnd = [...events].reverse().find((e) => e.action === 'notice_opened' || e.action === 'notice_resumed');
    const deciding = DECIDING_STAGES[type] ?? [];
    const decidedEvent = [...events]
      .reverse()
      .find((e) => e.stage !== null && deciding.includes(e.stage) && ['approve', 'close-vote', 'record-meeting'].includes(e.action));
    const exitReason = ruleSet.exit.reasons.find((r) => r.code === payload.reason)?.title.zh ?? '';
    const values: Record<string, string> = {
      name: dossier.subject.name,
      gender: GENDERS[entry?.gender ?? ''] ?? '',
      community: dossier.subject.orgUnit.name,
      street,
      county,
      post: POST_TYPE_LABELS[dossier.subject.postType]?.zh ?? dossier.subject.postType,
      grade: String(dossier.subject.grade),
      caseType: dossier.process.title.zh,
      submittedDate: chineseDate(dossier.case.submittedAt),
      decisionDate: chineseDate(decidedEvent?.at ?? dossier.case.decidedAt),
      noticeStart: chineseDate(opened?.at),
      noticeEnd: chineseDate((noticeEnd?.data as { dueAt?: string } | undefined)?.dueAt),
      rulingCode: jsonText(stageData['collective-decision']?.ruling ?? null),
      appealResultCode: type === 'appeal' ? jsonText(stageData.decision?.result ?? null) : '',
      reasoning: type === 'appeal' ? jsonText(stageData.decision?.reasoning ?? null) : '',
      exitReason,
      today: chineseDate(new Date().toISOString()),
    };
    for (const [k, v] of Object.entries(payload)) values[`payload.${k}`] = typeof v === 'boolean' ? (v ? '是' : '否') : jsonText(v);

    const stages: StageRecord[] = dossier.process.stages.map((s) => {
      const at = events.filter((e) => e.stage === s.id);
      const entries = at
        .filter((e) => e.action in DECISION_WORDS && e.action !== 'close-vote')
        .map((e) => ({
          signer: (e.actorId && names.get(e.actorId)) || e.actorId || '系统',
          opinion: e.comment ?? '',
          decision: s.kind === 'decision' ? (DECISION_WORDS[e.action] ?? e.action) : '已办理',
          date: chineseDate(e.at),
        }));
      for (const v of at.filter((e) => e.action === 'vote')) {
        const choice = (v.data as { choice?: string }).choice ?? '';
        entries.push({
          signer: (v.actorId && names.get(v.actorId)) || v.actorId || '',
          opinion: v.comment ?? '',
          decision: `表决：${VOTE_WORDS[choice] ?? choice}`,
          date: chineseDate(v.at),
        });
      }
      // A committee's meeting record (集体研究): each member present with their vote, or absent or recused.
      const meetingEvent = [...at].reverse().find((e) => e.action === 'record-meeting');
      const meeting = (meetingEvent?.data as { meeting?: MeetingRecord } | undefined)?.meeting;
      if (meetingEvent && meeting) {
        for (const m of meeting.members) {
          entries.push({
            signer: names.get(m.userId) ?? m.userId,
            opinion: m.attendance === 'present' ? '' : (m.reason ?? ''),
            decision:
              m.attendance === 'present' ? `出席，表决：${VOTE_WORDS[m.vote ?? ''] ?? ''}` : m.attendance === 'absent' ? '缺席' : '回避',
            date: chineseDate(meetingEvent.at),
          });
        }
        const t = meeting.tally;
        return {
          title: s.title.zh,
          entries,
          vote: {
            members: t.expected,
            cast: t.present,
            for: t.for,
            against: t.against,
            abstain: t.abstain,
            passed: t.passed,
            minutes: [meetingEvent.comment, meeting.resolution].filter(Boolean).join('；'),
          },
        };
      }
      const closed = at.find((e) => e.action === 'close-vote');
      const d = closed?.data as
        { tally?: { for: number; against: number; abstain: number }; members?: number; passed?: boolean; minutes?: string } | undefined;
      const vote = d?.tally
        ? {
            members: d.members ?? 0,
            cast: d.tally.for + d.tally.against + d.tally.abstain,
            ...d.tally,
            passed: d.passed ?? false,
            minutes: d.minutes ?? '',
          }
        : null;
      return { title: s.title.zh, entries, vote };
    });
    const objections = dossier.objections as { status: string }[];
    return {
      type,
      status: dossier.case.status,
      values,
      particulars: [
        ['姓名', values.name as string],
        ['性别', values.gender as string],
        ['所在社区', values.community as string],
        ['岗位', values.post as string],
        ['岗位等级', `${values.grade}级`],
        ['事项', values.caseType as string],
        ['申请日期', values.submittedDate as string],
        ['案件编号', dossier.case.id],
      ],
      stages,
      notice: opened
        ? {
            start: values.noticeStart as string,
            end: values.noticeEnd as string,
            objections: objections.length,
            upheld: objections.filter((o) => o.status === 'upheld').length,
          }
        : null,
      decided: deciding.some((id) => id in stageData),
    };
  }

  return {
    /** The documents that exist at this point of the case. */
    async list(caller: Caller, caseId: string) {
      const dossier = await queries.dossier(caller, caseId);
      const facts = await factsOf(dossier);
      const items = await Promise.all(
        availableDocuments(facts).map(async (kind) => {
          const numbered = await store.documents.existing(caseId, kind);
          return {
            kind,
            title: DOCUMENT_TITLES[kind],
            url: `/api/v1/cases/${caseId}/documents/${kind}`,
            numbered: kind in NUMBERED,
            issued: numbered !== null,
          };
        }),
      );
      return { items };
    },

    /** One document as PDF; a letter's 文号 is assigned the first time. */
    async render(caller: Caller, caseId: string, kind: string): Promise<{ pdf: Buffer; filename: string }> {
      if (!(DOCUMENT_KINDS as readonly string[]).includes(kind)) throw notFound(`document kind "${kind}"`);
      const k = kind as DocumentKind;
      const dossier = await queries.dossier(caller, caseId);
      const facts = await factsOf(dossier);
      if (!availableDocuments(facts).includes(k)) {
        throw new HttpProblem('conflict', `the case has no ${DOCUMENT_TITLES[k]} at this point (status ${facts.status})`);
      }
      let number: string | null = null;
      if (k in NUMBERED) {
        const template = templates[k as Exclude<DocumentKind, 'approval-form' | 'public-notice'>];
        const issuer = template.issuer.replace(/\{(\w+)\}/g, (_m, key: string) => facts.values[key] ?? '');
        const stages = DECIDING_STAGES[facts.type] ?? [];
        const decided = [...dossier.events].reverse().find((e) => e.stage !== null && stages.includes(e.stage));
        const year = yearOf(decided?.at ?? new Date().toISOString());
        const n = await store.documents.assignNumber({ caseId, kind: k, issuer, year });
        number = documentNumber(template.numberFormat, facts.values, year, n);
      }
      const model = composeDocument(k, facts, templates, number);
      const pdf = await renderPdf(model, font, { subject: `${facts.values.caseType} ${caseId}`, createdAt: new Date() });
      return { pdf, filename: `${model.title}.pdf` };
    },
  };
}

export type DocumentService = ReturnType<typeof createDocumentService>;
