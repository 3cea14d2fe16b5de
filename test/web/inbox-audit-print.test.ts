import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ledgerSigner } from '../../infra/ledger-key';
import { createLedgerService } from '../../services/ledger';
import { createStore } from '../../store';
import { SEED_WORKERS } from '../../prisma/seed';
import { bearer } from '../helpers/api';
import { TEST_LEDGER_KEY } from '../helpers/database';
import { pdfText } from '../helpers/pdf-text';
import {
  launchBrowser,
  openPage,
  screenshot,
  SCREENSHOTS,
  rawTextOn,
  seriousAccessibilityProblems,
  signIn,
  startUiStack,
  type UiStack,
} from './browser';

/**
 * The inbox as the approval apps people know lay it out (待办 / 已办 / 我发起的 / 抄送我, one search), 常用语 in
 * the opinion box, the audit screens (subject, type, stage, time to the second, a case found by name, inclusive
 * dates, the ledger's last signed checkpoint) and the dossier's print (page numbers, signature block, searchable
 * Chinese text), in Chinese and English, on desktop and phone; and axe-core on every page with no serious or
 * critical violation. Real API, Temporal, PostgreSQL and Chromium.
 */

const dict = (lang: string) =>
  JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'web', 'src', 'i18n', `${lang}.json`), 'utf8')) as Record<string, string>;
const TEXT = { 'zh-CN': dict('zh-CN'), en: dict('en') };
const SIZES = { desktop: { width: 1280, height: 900 }, phone: { width: 390, height: 844 } };
const ZONE = 'Asia/Shanghai';

describe('inbox tabs, 常用语, audit screens, print and accessibility', () => {
  let stack: UiStack;
  let browser: Browser;

  beforeAll(async () => {
    [stack, browser] = await Promise.all([startUiStack('web-inbox-audit'), launchBrowser()]);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  const api = async (user: string, route: string, init: { method?: string; body?: unknown } = {}) => {
    const res = await fetch(`${stack.baseUrl}/api/v1${route}`, {
      method: init.method ?? 'GET',
      headers: { Authorization: await bearer(user), ...(init.body ? { 'Content-Type': 'application/json' } : {}) },
      body: init.body ? JSON.stringify(init.body) : undefined,
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  /**
   * A promotion the community's clerk submits for the next of its workers the rules let them propose (not the
   * party secretary's own record: they would be recused from it).
   */
  const used = new Set<string>();
  const submit = async (community: string) => {
    for (const worker of SEED_WORKERS.filter((w) => w.orgUnitId === community && w.userId !== `sec-${community}` && !used.has(w.id))) {
      used.add(worker.id);
      const res = await api(`clerk-${community}`, '/cases', {
        method: 'POST',
        body: { type: 'promotion', subjectId: worker.id, payload: { kind: 'regular' } },
      });
      if (res.status === 201) return { id: res.body.id as string, subject: (res.body.subject as { name: string }).name };
      // 422: not eligible; 409: a case open already; 403: the clerk's own record.
      if (![403, 409, 422].includes(res.status)) throw new Error(`submit for ${worker.id}: ${res.status} ${JSON.stringify(res.body)}`);
    }
    throw new Error(`no worker of ${community} left to propose`);
  };
  /** The case whose pages the accessibility checks visit. */
  let axeCase: string | undefined;
  /** The Chinese dossier as printed, for the searchable-text check below. */
  let zhPdf: Buffer | undefined;
  const newPage = async (
    lang: 'zh-CN' | 'en',
    size: keyof typeof SIZES,
  ): Promise<{ context: BrowserContext; page: Page; problems: string[] }> => {
    const context = await browser.newContext({ viewport: SIZES[size], locale: lang, timezoneId: ZONE, acceptDownloads: true });
    await context.addInitScript(`try { localStorage.setItem('cases.lang', ${JSON.stringify(lang)}) } catch {}`);
    return { context, ...(await openPage(context)) };
  };
  const tab = async (page: Page, name: string) => {
    await page.locator(`#inbox-tab-${name}`).click();
    await page.locator(`[data-testid=${name === 'waiting' ? 'inbox' : name}]`).waitFor();
  };
  const listed = (page: Page, list: string, caseId: string) => page.locator(`[data-testid=${list}] tr[data-case-id="${caseId}"]`);

  /** The promotion's title and the title of one of its stages, as the API gives them. */
  const promotionTitles = async (lang: 'zh-CN' | 'en', stage: string) => {
    type Title = { zh: string; en: string };
    const types = (await api('auditor-1', '/case-types')).body.items as {
      type: string;
      title: Title;
      stages: { id: string; title: Title }[];
    }[];
    const promotion = types.find((t) => t.type === 'promotion');
    const pick = (t: Title | undefined) => (t ? (lang === 'en' ? t.en : t.zh) : '');
    return { type: pick(promotion?.title), stage: pick(promotion?.stages.find((s) => s.id === stage)?.title) };
  };

  for (const [lang, size, community] of [
    ['zh-CN', 'desktop', 'jsl'],
    ['en', 'phone', 'jyj'],
  ] as const) {
    test(`${lang} ${size}: 待办 / 已办 / 我发起的 / 抄送我, search, 常用语, audit rows and the print`, async () => {
      const text = TEXT[lang];
      const prefix = `${lang === 'en' ? 'en' : 'zh'}-${size}-50`;
      const mine = await submit(community);
      const other = await submit(community);
      const [clerk, secretary] = [`clerk-${community}`, `sec-${community}`];
      // Both wait for the community's secretary once their first stage has assigned them.
      for (let tries = 0; ; tries += 1) {
        const waiting = ((await api(secretary, '/inbox')).body.items as { id: string }[]).map((c) => c.id);
        if (waiting.includes(mine.id) && waiting.includes(other.id)) break;
        if (tries > 100) throw new Error(`the cases never reached ${secretary}'s inbox`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      const { context, page, problems } = await newPage(lang, size);

      // 待办: the community secretary finds the case by the subject's name among those waiting.
      await signIn(page, stack.baseUrl, secretary);
      expect(await page.locator('html').getAttribute('lang')).toBe(lang);
      await page.locator('[data-testid=inbox]').waitFor();
      expect(await page.locator('[role=tab]').allTextContents()).toEqual(
        ['waiting', 'handled', 'submitted', 'copied'].map((x) => text[`inbox.tab.${x}`]),
      );
      await listed(page, 'inbox', mine.id).waitFor();
      await page.locator('[data-testid=inbox-search]').fill(mine.subject);
      await listed(page, 'inbox', other.id).waitFor({ state: 'detached' });
      // The list may be empty while the search's answer is on its way: the case searched for comes back.
      await listed(page, 'inbox', mine.id).waitFor();
      expect(await listed(page, 'inbox', mine.id).count()).toBe(1);
      await screenshot(page, `${prefix}-inbox-search`);

      // 常用语: the defaults under the opinion box, one click fills it; a phrase of one's own is added and removed.
      await listed(page, 'inbox', mine.id).locator('a.case-link').click();
      await page.locator('button[data-action="approve"]').click();
      const form = page.locator('[data-testid="action-form-approve"]');
      const phrases = form.locator('[data-testid=phrases]');
      await phrases.locator('button[data-phrase]').first().waitFor();
      expect(await phrases.locator('button[data-phrase]').allTextContents()).toEqual(['同意推荐', '材料齐全', '情况属实', '请补充材料']);
      await phrases.locator('button[data-phrase="材料齐全"]').click();
      await phrases.locator('button[data-phrase="情况属实"]').click();
      expect(await form.locator('textarea').last().inputValue()).toBe('材料齐全 情况属实');
      const own = lang === 'en' ? 'Checked against the records.' : '经核对档案无误';
      await form.locator('textarea').last().fill(own);
      await phrases.locator('[data-testid=phrases-edit]').click();
      await phrases.locator('[data-testid=phrases-add]').click();
      await phrases.locator(`button[data-phrase="${own}"]`).waitFor();
      await phrases.locator('button[data-remove-phrase="请补充材料"]').click();
      await phrases.locator('button[data-phrase="请补充材料"]').waitFor({ state: 'detached' });
      expect((await api(secretary, '/me/phrases')).body.items).toEqual(['同意推荐', '材料齐全', '情况属实', own]);
      await screenshot(page, `${prefix}-phrases`);
      await form.locator('button[data-submit="approve"]').click();
      await page.locator('[data-testid=action-done]').waitFor();

      // 已办: the case the secretary just recommended; 待办 no longer holds it.
      await page.goto(`${stack.baseUrl}/inbox`);
      await tab(page, 'handled');
      await listed(page, 'handled', mine.id).waitFor();
      expect(await listed(page, 'handled', other.id).count()).toBe(0);
      await screenshot(page, `${prefix}-inbox-handled`);
      await tab(page, 'waiting');
      await listed(page, 'inbox', other.id).waitFor();
      expect(await listed(page, 'inbox', mine.id).count()).toBe(0);

      // 我发起的: the clerk's own submissions, searchable; the secretary submitted none.
      await tab(page, 'submitted');
      await page.locator('[data-testid=submitted] .empty').waitFor();
      await signIn(page, stack.baseUrl, clerk);
      await page.goto(`${stack.baseUrl}/inbox?tab=submitted`);
      await listed(page, 'submitted', mine.id).waitFor();
      await listed(page, 'submitted', other.id).waitFor();
      await page.locator('[data-testid=inbox-search]').fill(other.subject);
      await listed(page, 'submitted', mine.id).waitFor({ state: 'detached' });
      await listed(page, 'submitted', other.id).waitFor();
      await screenshot(page, `${prefix}-inbox-submitted`);

      // Audit: the case found by its subject's name, rows with subject, type, stage and time to the second;
      // a range of one day (today, in the auditor's time zone) holds today's events.
      const signed = await createLedgerService({ store: createStore(stack.db.prisma), signer: ledgerSigner(TEST_LEDGER_KEY) }).checkpoint();
      await signIn(page, stack.baseUrl, 'auditor-1');
      await page.goto(`${stack.baseUrl}/audit?tab=events`);
      const today = new Intl.DateTimeFormat('en-CA', { timeZone: ZONE }).format(new Date());
      await page.locator('#ae-from').fill(today);
      await page.locator('#ae-to').fill(today);
      await page.locator('#ae-case').fill(mine.subject);
      await page.locator('#ae-case').press('Enter');
      const rows = page.locator('[data-testid=audit-events] tbody tr');
      await rows.nth(1).waitFor();
      const subjects = await page.locator('[data-testid=audit-events] [data-testid=audit-subject]').allTextContents();
      const titles = await promotionTitles(lang, 'community-recommendation');
      expect(new Set(subjects)).toEqual(new Set([`${titles.type} · ${mine.subject}`]));
      const times = await page.locator('[data-testid=audit-events] time').allTextContents();
      for (const time of times) expect(time).toMatch(/\d{1,2}:\d{2}:\d{2}/);
      const body = await page.locator('[data-testid=audit-events]').textContent();
      expect(body).toContain(titles.stage);
      await screenshot(page, `${prefix}-audit-events`);

      // The last signed checkpoint, its signature checked by the service.
      await page.locator('[role=tab]#tab-verify').click();
      const checkpoint = page.locator(`[data-testid=ledger-checkpoint][data-valid=true]`);
      await checkpoint.waitFor();
      expect(Number(await checkpoint.getAttribute('data-size'))).toBeGreaterThanOrEqual(signed?.size ?? 1);
      await screenshot(page, `${prefix}-audit-checkpoint`);

      // The print: page numbers, the signature block once, each section once, searchable text.
      await page.goto(`${stack.baseUrl}/cases/${mine.id}/print`);
      await page.locator('[data-testid=dossier] [data-testid=chain-verified][data-ok=true]').waitFor();
      await page.emulateMedia({ media: 'print' });
      // As a person would: the dossier's face (served with the UI) has arrived before they print.
      await page.evaluate('document.fonts.ready.then(() => null)');
      const pdf = await page.pdf({ format: 'A4', printBackground: false });
      fs.mkdirSync(SCREENSHOTS, { recursive: true });
      fs.writeFileSync(path.join(SCREENSHOTS, `${prefix}-dossier.pdf`), pdf);
      await page.emulateMedia({ media: 'screen' });
      const printed = await pdfText(pdf);
      expect(printed.pages).toBeGreaterThanOrEqual(1);
      if (lang === 'en') {
        const flat = printed.text.replace(/\s+/g, ' ');
        expect(flat).toContain(mine.subject);
        for (const key of ['print.handledBy', 'print.reviewedBy', 'print.signedOn', 'print.signatures']) expect(flat).toContain(text[key]);
        expect(flat).toContain(`Page 1 of ${printed.pages}`);
      } else {
        zhPdf = pdf;
      }
      const headings = await page.locator('[data-testid=dossier] h2').allTextContents();
      expect(headings.length).toBe(new Set(headings.map((h) => h.trim())).size);

      expect(problems).toEqual([]);
      await context.close();
    }, 240_000);
  }

  for (const lang of ['zh-CN', 'en'] as const) {
    for (const size of ['desktop', 'phone'] as const) {
      // Every page but the audit screens (which show UUIDs and hashes by design) is also checked for raw keys, ids,
      // UUIDs and English sentences in the Chinese UI (expectPlainChinese's rules).
      test(`axe-core on every page, plain Chinese outside the audit screens: ${lang}, ${size}`, async () => {
        axeCase ??= (await submit('mtj')).id;
        const id = axeCase;
        const { context, page, problems } = await newPage(lang, size);
        const findings: Record<string, unknown> = {};
        const rawText: Record<string, string[]> = {};
        const check = async (name: string, ready: string) => {
          await page.locator(ready).first().waitFor();
          const found = await seriousAccessibilityProblems(page);
          if (found.length) findings[name] = found;
          if (lang === 'zh-CN' && !name.startsWith('auditor ')) {
            const raw = await rawTextOn(page);
            if (raw.length) rawText[name] = raw;
          }
        };
        await page.goto(`${stack.baseUrl}/public`);
        await check('public notices', 'h1');
        await page.goto(`${stack.baseUrl}/`);
        await check('sign-in', '[data-testid=demo-login]');
        const visits: [string, string, string[]][] = [
          [
            'clerk-mtj',
            'clerk',
            [
              '/inbox',
              '/inbox?tab=handled',
              '/inbox?tab=submitted',
              '/inbox?tab=copied',
              '/submit',
              '/submit?type=promotion',
              '/records',
              `/records/${(SEED_WORKERS.find((w) => w.orgUnitId === 'mtj') as { id: string }).id}`,
              '/rounds',
              '/assessments',
              `/cases/${id}`,
              `/cases/${id}/print`,
              '/no-such-page',
            ],
          ],
          ['auditor-1', 'auditor', ['/audit?tab=cases', '/audit?tab=events', '/audit?tab=verify']],
          ['admin-1', 'admin', ['/admin/notifications']],
        ];
        for (const [user, who, paths] of visits) {
          await signIn(page, stack.baseUrl, user);
          for (const p of paths) {
            await page.goto(`${stack.baseUrl}${p}`);
            await page.waitForLoadState('networkidle');
            await check(`${who} ${p}`, 'h1');
          }
        }
        expect(findings).toEqual({});
        expect(rawText).toEqual({});
        expect(problems).toEqual([]);
        await context.close();
      }, 240_000);
    }
  }

  /**
   * Chromium's print-to-PDF (Skia) writes each glyph's text as the first code point the font maps to it; the
   * system's Noto Sans CJK maps the glyph of 人, 工, 日, 月, 见, 页 … to a Kangxi radical first (⼈ U+2F08), so the
   * print of a dossier set in it read 经办⼈. The dossier is set in the font served with the UI (styles.css,
   * .dossier), whose slices map no radical: the print is searchable as typed, and holds no radical at all.
   */
  test('zh-CN print: the signature block and page numbers are searchable as typed', async () => {
    const printed = await pdfText(zhPdf as Buffer);
    const flat = printed.text.replace(/\s+/g, '');
    const zh = TEXT['zh-CN'];
    for (const key of ['print.handledBy', 'print.reviewedBy', 'print.signedOn']) expect(flat).toContain(zh[key]);
    expect(flat).toContain(`第1页，共${printed.pages}页`);
    expect(zh['print.pageNumbers']).toBe('第 {page} 页，共 {pages} 页');
    expect(flat).toContain('经办人');
    expect(flat).not.toMatch(/[\u2e80-\u2fdf]/u);
  });
});
