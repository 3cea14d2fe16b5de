import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { RuleSet } from '../../domain/rules';
import { testApp } from '../helpers/api';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { devServer, startTestWorker, uniqueTaskQueue } from '../helpers/temporal';

/**
 * What the browser tests run against: the real API serving the built web UI (web/dist), a real worker on the
 * Temporal dev server, a seeded PostgreSQL database of their own, and Debian's Chromium driven by playwright-core.
 */

export const WEB_ROOT = path.join(__dirname, '..', '..', 'web', 'dist');
export const SCREENSHOTS = path.join(__dirname, '..', '..', 'test-results', 'screenshots');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface UiStack {
  baseUrl: string;
  db: TestDatabase;
  stop: () => Promise<void>;
}

export async function startUiStack(name: string, options: { ruleSet?: RuleSet } = {}): Promise<UiStack> {
  if (!fs.existsSync(path.join(WEB_ROOT, 'index.html'))) {
    throw new Error(`${WEB_ROOT}/index.html is missing: build the web UI first (npm run build:web; npm test does)`);
  }
  const db = await createTestDatabase({ seeded: true });
  const temporal = await devServer();
  const taskQueue = uniqueTaskQueue(name);
  // The worker runs the same rule set as the API: the demo's 公示 lasts seconds, too short for a resident to object.
  const worker = await startTestWorker(
    temporal.nativeConnection,
    taskQueue,
    db.prisma,
    options.ruleSet ? { ruleSet: options.ruleSet } : {},
  );
  const app = testApp({ prisma: db.prisma, client: temporal.client, taskQueue, webRoot: WEB_ROOT, ruleSet: options.ruleSet });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    db,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await worker.stop();
      await temporal.close();
      await db.drop();
    },
  };
}

export async function launchBrowser(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(
      `no Chromium at ${CHROMIUM}: install Debian's chromium (apt-get install -y chromium; .ci/run does) or set CHROMIUM_PATH`,
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** A page that records console errors and uncaught exceptions, so a test can require that there were none. */
export async function openPage(context: BrowserContext): Promise<{ page: Page; problems: string[] }> {
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  const problems: string[] = [];
  page.on('console', (message) => {
    // With the address the browser names (a failed load's message does not), so a failure says which request.
    if (message.type() === 'error')
      problems.push(`console: ${message.text()}${message.location().url ? ` (${message.location().url})` : ''}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  return { page, problems };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** Signs in through the demo sign-in page (signing the current user out first). */
export async function signIn(page: Page, baseUrl: string, userId: string): Promise<void> {
  await page.goto(`${baseUrl}/`);
  await page.locator('#demo-user, [data-testid=signed-in-user]').first().waitFor();
  if (await page.locator('[data-testid=signed-in-user]').count()) {
    await page.locator('.who .link-button').click();
    await page.locator('#demo-user').waitFor();
  }
  await page.locator('#demo-user').selectOption(userId);
  await page.locator('[data-testid=demo-login] button[type=submit]').click();
  await page.locator(`[data-testid=signed-in-user][data-user="${userId}"]`).waitFor();
}

export async function caseStatus(page: Page): Promise<string | null> {
  return page.locator('[data-testid=case-page] .head-actions [data-testid=status]').getAttribute('data-status');
}

/** What may not show on a page of the Chinese UI outside the audit screens. */
const RAW_TEXT: { what: string; pattern: RegExp }[] = [
  { what: 'a UUID', pattern: /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/i },
  // A translation key or a data path (case.stage.title), or a rule id (promotion.years-in-grade).
  { what: 'a raw key', pattern: /\b[a-z][a-zA-Z0-9]*(?:\.[a-z][a-zA-Z0-9-]*){2,}\b|\b[a-z]+\.[a-z]+-[a-z-]+\b/ },
  // A record's or a person's id as the database keeps it (w-jsl-03, clerk-jsl, auditor-1): people are named as
  // 姓名（社区·岗位） instead.
  { what: 'an id', pattern: /\b[a-z]+(?:-[a-z0-9]+)+\b/ },
  // Four English words in a row: a sentence the UI should have said in Chinese (a server's detail, say).
  { what: 'an English sentence', pattern: /\b[A-Za-z]{2,}(?:[ ,;:]+[A-Za-z]{2,}){3,}/ },
];

/**
 * Fails on any raw key, English sentence or UUID visible on the page (its rendered text: closed <details>, the
 * "依据" behind an eligibility reason or a server's technical detail, do not count). For the Chinese UI outside
 * the audit screens; `allow` lists text that may stay as it is (a file name someone uploaded).
 */
export async function expectPlainChinese(page: Page, where: string, allow: string[] = []): Promise<void> {
  expect({ where, found: await rawTextOn(page, allow) }).toEqual({ where, found: [] });
}

/** What expectPlainChinese fails on, as lines (none: the page is plain Chinese). */
export async function rawTextOn(page: Page, allow: string[] = []): Promise<string[]> {
  let text = await page.locator('body').innerText();
  for (const a of allow) text = text.split(a).join(' ');
  text = text.replace(/[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g, ' '); // an e-mail address is for people to read
  return RAW_TEXT.flatMap(({ what, pattern }) => {
    const m = pattern.exec(text);
    return m ? [`${what}: "${m[0]}" in …${text.slice(Math.max(0, m.index - 40), m.index + m[0].length + 40)}…`] : [];
  });
}

const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** An accessibility problem axe-core found on a page, as a line a failing test prints. */
export interface AxeFinding {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/**
 * Runs axe-core (WCAG 2.x A and AA rules) on the page as it is now and answers its serious and critical
 * violations. axe is evaluated through the DevTools protocol, which the page's Content-Security-Policy does not
 * govern, so the page is checked exactly as it is served.
 */
export async function seriousAccessibilityProblems(page: Page): Promise<AxeFinding[]> {
  await page.evaluate(AXE_SOURCE);
  // A string, not a function: the tests are type-checked without the DOM's types.
  const found = await page.evaluate<AxeFinding[]>(`(async () => {
    const results = await window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
      resultTypes: ['violations'],
    });
    return results.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => String(n.target)) }));
  })()`);
  return found.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}
