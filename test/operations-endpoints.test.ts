import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client, Connection } from '@temporalio/client';
import request from 'supertest';
import { createApp } from '../api/app';
import { createTokenVerifier } from '../api/auth';
import { createMetrics, OVERDUE_REFRESH_MS } from '../api/metrics';
import { BUILT_IN_RULE_SETS, type RuleSet } from '../domain/rules';
import { ledgerSigner } from '../infra/ledger-key';
import { createLogger } from '../infra/logger';
import { createPrisma } from '../infra/prisma';
import { freePort } from '../infra/processes';
import { createStore, type Store } from '../store';
import { bearer, TEST_AUTH } from './helpers/api';
import { TEST_CHALLENGE_SECRET, TEST_LEDGER_KEY } from './helpers/database';
import { inProcessApp, useApiStack } from './helpers/stack';
import { launchBrowser, openPage } from './web/browser';

/**
 * The endpoints that need no token (/metrics, /readyz) and the interactive documentation: what they cost and
 * what they give away. /metrics counts overdue stages at most once per interval, however often it is scraped;
 * /readyz names a reason code, never a dependency's error; Swagger UI keeps no bearer token in localStorage.
 */
describe('metrics, readiness and the API documentation', () => {
  const stack = useApiStack('ops-endpoints');

  /** The real store, with its overdue count counted. */
  function countingStore(): { store: Store; counts: () => number } {
    const store = createStore(stack.db.prisma);
    let counts = 0;
    const countOverdue = (now: Date) => {
      counts += 1;
      return store.cases.countOverdue(now);
    };
    return { store: { ...store, cases: { ...store.cases, countOverdue } }, counts: () => counts };
  }

  const appOver = (store: Store, temporal = { client: stack.temporal.client, taskQueue: stack.taskQueue, rpcTimeoutMs: 2_000 }) =>
    createApp({
      store,
      temporal,
      verifyToken: createTokenVerifier(TEST_AUTH),
      ruleSet: BUILT_IN_RULE_SETS.demo as RuleSet,
      logger: createLogger('silent'),
      ledgerSigner: ledgerSigner(TEST_LEDGER_KEY),
      publicChallengeSecret: TEST_CHALLENGE_SECRET,
    });

  test('scraping /metrics twenty times runs one COUNT, and the gauge holds the count', async () => {
    await stack.drive.submitted('clerk-jsl', 'promotion', 'w-jsl-03', { kind: 'regular' });
    const { store, counts } = countingStore();
    const app = appOver(store);
    let text = '';
    for (let i = 0; i < 20; i += 1) text = (await request(app).get('/metrics')).text;
    expect(counts()).toBe(1);
    const expected = await store.cases.countOverdue(new Date());
    expect(text).toMatch(new RegExp(`^case_stages_overdue ${expected}$`, 'm'));
  });

  test('the count is read again once it is older than the interval, without holding up the scrape', async () => {
    const { store, counts } = countingStore();
    let clock = Date.parse('2026-11-27T08:00:00Z');
    const metrics = createMetrics(store, () => clock);
    await metrics.registry.metrics();
    clock += OVERDUE_REFRESH_MS - 1;
    await metrics.registry.metrics();
    expect(counts()).toBe(1);
    clock += 1;
    await metrics.registry.metrics();
    expect(counts()).toBe(2);
  });

  test('/readyz names a reason code for each dependency, never its error', async () => {
    const closedPort = await freePort();
    const deadDatabase = createPrisma(`postgresql://postgres:secret@127.0.0.1:${closedPort}/nowhere`, 1);
    const connection = Connection.lazy({ address: `127.0.0.1:${closedPort}` });
    try {
      const app = appOver(createStore(deadDatabase), { client: new Client({ connection }), taskQueue: 'none', rpcTimeoutMs: 1_000 });
      const res = await request(app).get('/readyz');
      expect(res.status).toBe(503);
      expect(res.body).toEqual({
        status: 'not ready',
        checks: { temporal: expect.any(String), database: 'unavailable', worker: expect.any(String), projection: 'unknown' },
      });
      expect(['timeout', 'unavailable']).toContain(res.body.checks.temporal);
      expect(JSON.stringify(res.body)).not.toMatch(new RegExp(`${closedPort}|127\\.0\\.0\\.1|ECONNREFUSED|nowhere`));
    } finally {
      // The probe's call keeps retrying until its own deadline (2 s); closing the channel under it would fail a retry.
      await new Promise((resolve) => setTimeout(resolve, 2_500));
      await connection.close().catch(() => undefined);
      await deadDatabase.$disconnect();
    }
    const ready = await request(stack.app).get('/readyz');
    expect(ready.body).toEqual({ status: 'ready', checks: { temporal: 'ok', database: 'ok', worker: 'ok', projection: 'ok' } });
  });

  test('Swagger UI keeps the bearer token in the page, not in localStorage', async () => {
    const server: Server = await new Promise((resolve) => {
      const s = inProcessApp(stack).listen(0, '127.0.0.1', () => resolve(s));
    });
    const browser = await launchBrowser();
    try {
      const context = await browser.newContext();
      const { page } = await openPage(context);
      await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/docs/`);
      await page.locator('button.authorize').first().click();
      const token = (await bearer('clerk-jsl')).replace(/^Bearer /, '');
      await page.locator('.modal-ux input').first().fill(token);
      await page.locator('.modal-ux button.authorize').click();
      await page.locator('.modal-ux button.btn-done').click();
      const stored = await page.evaluate<string>('JSON.stringify({ ...localStorage })');
      expect(stored).not.toContain(token);
      await context.close();
    } finally {
      await browser.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
