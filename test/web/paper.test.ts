import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { BUILT_IN_RULE_SETS, type RuleSet } from '../../domain/rules';
import { DEFAULT_PDF_FONT, renderPdf } from '../../infra/pdf';
import { bearer } from '../helpers/api';
import { pdfBytes, pngBytes } from '../helpers/files';
import { expectPlainChinese, launchBrowser, openPage, screenshot, signIn, startUiStack, type UiStack } from './browser';

/**
 * The paper side in a real browser, in Chinese and in English: a resident objects on the public notice board
 * without signing in (answering the challenge), and a clerk uploads a PDF and a photo to the case, previews
 * both inline, and opens the case's generated documents. Screenshots go to test-results/screenshots/.
 */

const dict = (lang: string) =>
  JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'web', 'src', 'i18n', `${lang}.json`), 'utf8')) as Record<string, string>;

describe('attachments, documents and the public notice in a browser', () => {
  let stack: UiStack;
  let browser: Browser;

  beforeAll(async () => {
    // Jiangsu's rule set: a notice of five working days, so it is still running when the resident looks.
    [stack, browser] = await Promise.all([
      startUiStack('web-paper', { ruleSet: BUILT_IN_RULE_SETS['jiangsu-2025'] as RuleSet }),
      launchBrowser(),
    ]);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  async function call(user: string, method: string, url: string, body: unknown) {
    const res = await fetch(`${stack.baseUrl}/api/v1${url}`, {
      method,
      headers: { Authorization: await bearer(user), 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${await res.text()}`);
    return (await res.json()) as { id: string; subject: { name: string } };
  }

  async function inNotice(clerk: string, worker: string, community: string) {
    const kase = await call(clerk, 'POST', '/cases', { type: 'promotion', subjectId: worker, payload: { kind: 'regular' } });
    const recommended = (await call(community, 'POST', `/cases/${kase.id}/actions`, { action: 'approve' })) as unknown as {
      assignees: string[];
    };
    // The street party working committee decides at a meeting, every member present and for.
    const members = recommended.assignees;
    await call(members[0] as string, 'POST', `/cases/${kase.id}/actions`, {
      action: 'record-meeting',
      meetingDate: new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10),
      members: members.map((userId) => ({ userId, attendance: 'present', vote: 'for' })),
      minutes: '党工委会议纪要',
      resolution: '同意晋升',
    });
    return kase;
  }

  for (const cast of [
    { lang: 'zh-CN' as const, prefix: 'zh', clerk: 'clerk-jsl', worker: 'w-jsl-03', community: 'sec-jsl' },
    { lang: 'en' as const, prefix: 'en', clerk: 'clerk-jyj', worker: 'w-jyj-03', community: 'sec-jyj' },
  ]) {
    test(`${cast.lang}: a resident objects on the public board; the clerk uploads, previews and opens the documents`, async () => {
      const text = dict(cast.lang);
      const kase = await inNotice(cast.clerk, cast.worker, cast.community);
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: cast.lang });
      const { page, problems } = await openPage(context);

      // The public board, without signing in.
      await page.goto(`${stack.baseUrl}/public`);
      await page.locator('[data-testid=public-notices]').waitFor();
      if (cast.lang === 'en') {
        await page.locator('button[data-lang=en]').click();
        await page.locator('html[lang=en]').waitFor();
      }
      expect(await page.locator('h1').textContent()).toBe(text['public.title']);
      const card = page.locator('.notice-card', { hasText: kase.subject.name });
      await card.waitFor();
      expect(await card.textContent()).not.toContain(kase.id);
      await card.locator('button[data-object]').click();
      const form = card.locator('[data-testid=objection-form]');
      await form.locator('input[name=name]').fill(cast.lang === 'en' ? 'A Resident' : '张居民');
      await form.locator('input[name=telephone]').fill('139 0000 5678');
      await form.locator('textarea[name=content]').fill(cast.lang === 'en' ? 'Rarely seen at work this year.' : '该同志今年经常不在岗。');
      // The challenge's question is on the page: "12 + 7 = ?".
      await form.locator('label', { hasText: '=' }).waitFor();
      const question = (await form.locator('label', { hasText: '=' }).textContent()) ?? '';
      const [a, b] = (question.match(/(\d+) \+ (\d+)/) ?? []).slice(1).map(Number);
      await form.locator('input[name=answer]').fill(String((a as number) + (b as number)));
      await screenshot(page, `${cast.prefix}-40-public-objection`);
      if (cast.lang === 'zh-CN') await expectPlainChinese(page, 'the public notices, an objection being written');
      await form.locator('button[type=submit]').click();
      await page.locator('[data-testid=objection-sent]').waitFor();
      expect(await page.locator('[data-testid=objection-sent]').textContent()).toBe(text['public.sent']);

      // The clerk attaches a PDF and a photo, and previews both in the page.
      await signIn(page, stack.baseUrl, cast.clerk);
      await page.goto(`${stack.baseUrl}/cases/${kase.id}`);
      const files = page.locator('[data-testid=case-files]');
      await files.locator('[data-testid=upload-form]').waitFor();
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'upload-'));
      const pdf = path.join(dir, '考核表.pdf');
      const png = path.join(dir, 'photo.png');
      // A real PDF with text (the CJK font the documents use), so its preview has something to show.
      fs.writeFileSync(
        pdf,
        await renderPdf(
          { kind: 'approval-form', title: '年度考核表', number: null, blocks: [{ kind: 'title', text: '年度考核表' }] },
          DEFAULT_PDF_FONT,
          {
            subject: '考核',
            createdAt: new Date(),
          },
        ),
      );
      fs.writeFileSync(png, pngBytes());
      for (const file of [pdf, png]) {
        await files.locator('input[type=file]').setInputFiles(file);
        await files.locator('[data-testid=upload-form] button[type=submit]').click();
        await files.locator('[data-testid=attachments] li', { hasText: path.basename(file) }).waitFor();
      }
      await files.locator('[data-testid=attachments] li', { hasText: '考核表.pdf' }).locator('button[data-preview]').click();
      // Drawn by PDF.js in the page (headless Chromium has no PDF viewer of its own): its text layer holds the text.
      await files.locator('[data-testid=pdf-preview][data-state=ready]').waitFor({ timeout: 40_000 });
      expect(await files.locator('[data-testid=pdf-preview] canvas').count()).toBe(1);
      expect((await files.locator('[data-testid=pdf-preview] .textLayer').textContent())?.replace(/\s/g, '')).toContain('年度考核表');
      // The list reloads as the case's history grows: click once it has settled with the photo's row.
      await files.locator('[data-testid=attachments] li', { hasText: 'photo.png' }).locator('button[data-preview]').click();
      await files.locator('[data-testid=file-preview] img').waitFor({ state: 'attached', timeout: 40_000 });
      expect(
        await files.locator('[data-testid=file-preview] img').evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth),
      ).toBe(1);
      await screenshot(page, `${cast.prefix}-41-case-attachments`);

      // Papers sent with an action: a comment with a minutes file attached to it.
      const minutes = path.join(dir, '会议纪要.pdf');
      fs.writeFileSync(minutes, pdfBytes('纪要'));
      await page.locator('button[data-action=comment]').click();
      const commentForm = page.locator('[data-testid="action-form-comment"]');
      await commentForm.locator('[data-testid=attach-comment]').setInputFiles(minutes);
      await commentForm
        .locator('textarea')
        .last()
        .fill(cast.lang === 'en' ? 'Minutes attached.' : '附会议纪要。');
      await commentForm.locator('button[data-submit=comment]').click();
      await page.locator('[data-testid=action-done]').waitFor();
      await files.locator('[data-testid=attachments] li', { hasText: '会议纪要.pdf' }).waitFor();

      // The generated documents: the approval form and the public notice, opened as PDF in the page.
      await files.locator('[data-testid=documents] li[data-document=public-notice]').waitFor();
      await files.locator('button[data-open=approval-form]').click();
      await files.locator('[data-testid=pdf-preview][data-state=ready]').waitFor({ timeout: 40_000 });
      expect((await files.locator('[data-testid=pdf-preview] .textLayer').allTextContents()).join('').replace(/\s/g, '')).toContain(
        kase.subject.name,
      );
      await screenshot(page, `${cast.prefix}-42-case-documents`);
      expect(problems).toEqual([]);
      await context.close();
    });
  }
});
