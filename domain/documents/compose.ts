import type { CaseTypeName } from '../case-types/names';
import type { CaseStatus } from '../process/vocabulary';
import type { DocumentKind, DocumentTemplates } from './templates';

/**
 * The official documents of a case as a layout-free model: which exist at this point of the case, and what each
 * says (its title, 文号, paragraphs, tables, the issuing body and date). The texts come from the templates; the
 * facts from the case's record (services/documents.ts). infra/pdf.ts prints the model on A4.
 */

export interface StageRecord {
  title: string;
  /** Each decision, record or vote at the stage: who signed, their opinion, what they decided, when. */
  entries: { signer: string; opinion: string; decision: string; date: string }[];
  /** The collective decision (集体研究): members, votes cast (attendance) and the tally. */
  vote: { members: number; cast: number; for: number; against: number; abstain: number; passed: boolean; minutes: string } | null;
}

export interface DocumentFacts {
  type: CaseTypeName;
  status: CaseStatus;
  /** Placeholder values (templates.ts PLACEHOLDERS and payload.<field>), already in Chinese. */
  values: Record<string, string>;
  /** The subject's particulars for the approval form, label and value (never the full national ID). */
  particulars: [string, string][];
  stages: StageRecord[];
  /** The public notice (公示), once it opened. */
  notice: { start: string; end: string; objections: number; upheld: number } | null;
  /** Whether the deciding stage of the type has decided (a ruling, a clearance, a commendation, an exit). */
  decided: boolean;
}

export type Block =
  | { kind: 'title'; text: string }
  | { kind: 'number'; text: string }
  | { kind: 'recipient'; text: string }
  | { kind: 'paragraph'; text: string }
  | { kind: 'heading'; text: string }
  | { kind: 'table'; rows: [string, string][] }
  | { kind: 'signature'; issuer: string; date: string }
  | { kind: 'note'; text: string }
  | { kind: 'page-break' };

export interface DocumentModel {
  kind: DocumentKind;
  title: string;
  /** The 文号, for the documents that have one. */
  number: string | null;
  blocks: Block[];
}

/** The letters that carry a 文号, and the case type each belongs to. */
export const NUMBERED: Partial<Record<DocumentKind, CaseTypeName>> = {
  'error-tolerance-ruling': 'error-tolerance',
  'clearance-letter': 'name-clearing',
  'commendation-decision': 'commendation',
  'termination-notice': 'exit',
  'appeal-reply': 'appeal',
};

/**
 * The stages whose decision a type's letter announces: a commendation is decided at the level that awards it,
 * an exit by the street (its definition's first version called the stage street-review).
 */
export const DECIDING_STAGES: Partial<Record<CaseTypeName, string[]>> = {
  'error-tolerance': ['collective-decision'],
  'name-clearing': ['approval'],
  commendation: ['county-decision', 'city-decision', 'province-decision', 'national-decision', 'decision'],
  exit: ['street-decision', 'street-review'],
  appeal: ['decision'],
};

const TYPES_WITH_NOTICE: readonly CaseTypeName[] = ['promotion', 'recruitment', 'commendation'];

/** The documents that exist at this point of the case. */
export function availableDocuments(facts: Pick<DocumentFacts, 'type' | 'status' | 'notice' | 'decided'>): DocumentKind[] {
  const kinds: DocumentKind[] = ['approval-form'];
  if (TYPES_WITH_NOTICE.includes(facts.type) && facts.notice) kinds.push('public-notice');
  const declined = facts.status === 'rejected' || facts.status === 'withdrawn';
  for (const [kind, type] of Object.entries(NUMBERED) as [DocumentKind, CaseTypeName][]) {
    if (type === facts.type && facts.decided && !declined) kinds.push(kind);
  }
  return kinds;
}

/** Fills a template text's placeholders; a value the case does not have reads 〔无〕. */
export function fill(text: string, values: Record<string, string>): string {
  return text.replace(/\{([^{}]*)\}/g, (_m, key: string) => values[key] ?? '〔无〕');
}

/** The model of one document of a case, given its 文号 where it has one. */
export function composeDocument(
  kind: DocumentKind,
  facts: DocumentFacts,
  templates: DocumentTemplates,
  number: string | null,
): DocumentModel {
  const values: Record<string, string> = { ...facts.values, proposal: fill(templates.proposal[facts.type], facts.values) };
  const f = (t: string) => fill(t, values);
  switch (kind) {
    case 'approval-form': {
      const t = templates['approval-form'];
      const blocks: Block[] = [
        { kind: 'title', text: f(t.title[facts.type]) },
        { kind: 'table', rows: facts.particulars },
      ];
      blocks.push({ kind: 'table', rows: [['申报事项', values.proposal as string]] });
      for (const stage of facts.stages) {
        blocks.push({ kind: 'heading', text: stage.title });
        const rows: [string, string][] = [];
        for (const e of stage.entries) {
          rows.push([e.decision, `${e.opinion || '（无意见）'}\u3000签署人：${e.signer}\u3000日期：${e.date}`]);
        }
        if (stage.vote) {
          const v = stage.vote;
          rows.push([
            '集体研究',
            `应到${v.members}人，实到${v.cast}人；同意${v.for}票，反对${v.against}票，弃权${v.abstain}票；${v.passed ? '通过' : '未通过'}`,
          ]);
          if (v.minutes) rows.push(['会议纪要', v.minutes]);
        }
        if (rows.length === 0) rows.push(['意见', '（尚未办理）']);
        blocks.push({ kind: 'table', rows });
      }
      if (TYPES_WITH_NOTICE.includes(facts.type)) {
        const n = facts.notice;
        blocks.push({ kind: 'heading', text: '公示情况' });
        blocks.push({
          kind: 'table',
          rows: n
            ? [
                ['公示期', `${n.start}至${n.end}`],
                ['异议情况', n.objections === 0 ? '公示期间未收到异议' : `收到异议${n.objections}件，其中成立${n.upheld}件`],
              ]
            : [['公示期', '尚未公示']],
        });
      }
      if (t.note) blocks.push({ kind: 'note', text: f(t.note) });
      return { kind, title: f(t.title[facts.type]), number: null, blocks };
    }
    case 'public-notice': {
      const t = templates['public-notice'];
      const contact = { telephone: f(t.contact.telephone), mailbox: f(t.contact.mailbox), address: f(t.contact.address) };
      const v = { ...values, ...contact };
      const blocks: Block[] = [{ kind: 'title', text: fill(t.title, v) }];
      for (const p of t.paragraphs) blocks.push({ kind: 'paragraph', text: fill(p, v) });
      blocks.push({ kind: 'paragraph', text: `公示范围：${fill(t.scope, v)}` });
      blocks.push({ kind: 'signature', issuer: fill(t.issuer, v), date: values.noticeStart ?? '' });
      return { kind, title: fill(t.title, v), number: null, blocks };
    }
    default: {
      const t = templates[kind];
      const v: Record<string, string> = { ...values, number: number ?? '' };
      if (kind === 'error-tolerance-ruling') v.ruling = fill(templates[kind].rulings[values.rulingCode ?? ''] ?? '〔无〕', v);
      if (kind === 'appeal-reply') v.ruling = fill(templates[kind].results[values.appealResultCode ?? ''] ?? '〔无〕', v);
      const blocks: Block[] = [{ kind: 'title', text: fill(t.title, v) }];
      if (number) blocks.push({ kind: 'number', text: number });
      if (t.recipient) blocks.push({ kind: 'recipient', text: fill(t.recipient, v) });
      for (const p of t.paragraphs) blocks.push({ kind: 'paragraph', text: fill(p, v) });
      blocks.push({ kind: 'signature', issuer: fill(t.issuer, v), date: values.decisionDate ?? '' });
      if (kind === 'termination-notice') {
        const slip = templates[kind].serviceSlip;
        blocks.push({ kind: 'page-break' }, { kind: 'title', text: fill(slip.title, v) });
        blocks.push({
          kind: 'table',
          rows: slip.rows.map((r) => fill(r, v).split(/[：:]/, 2) as [string, string]).map(([a, b]) => [a, b ?? '']),
        });
      }
      return { kind, title: fill(t.title, v), number, blocks };
    }
  }
}

/** The 文号 of a letter: its format filled with the year and the number the issuer gave it. */
export function documentNumber(format: string, values: Record<string, string>, year: number, n: number): string {
  return fill(format, { ...values, year: String(year), number: String(n) });
}
