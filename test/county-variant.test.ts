import path from 'node:path';
import request from 'supertest';
import { activeRuleSet } from '../app/runtime';
import { loadConfig } from '../infra/config';
import { bearer } from './helpers/api';
import { useApiStack, type ApiStack } from './helpers/stack';

/**
 * A county's own rules, loaded from RULES_FILE as `npm start` loads them (docs/examples/county-variant.json: two
 * changes to the approval matrix and three periods), run cases without a line of code changing.
 */
describe("a county's rules from RULES_FILE", () => {
  const file = path.join(__dirname, '..', 'docs', 'examples', 'county-variant.json');
  // The worker reads the rules in force as the API does (a case's workflow admits it under them).
  const stack = useApiStack('county-variant', { ruleSet: activeRuleSet(loadConfig({ RULES_FILE: file })) });
  let app: ApiStack['app'];
  let drive: ApiStack['drive'];
  beforeAll(() => {
    ({ app, drive } = stack);
  });

  const dossier = async (caseId: string) =>
    (
      await request(app)
        .get(`/api/v1/cases/${caseId}/dossier`)
        .set('Authorization', await bearer('auditor-1'))
    ).body;

  test('the API serves the county’s rules, marked as its own choices', async () => {
    const res = await request(app)
      .get('/api/v1/rule-set')
      .set('Authorization', await bearer('clerk-jsl'));
    expect(res.body).toMatchObject({
      id: 'gulou-example',
      approvals: { 'name-clearing.approval.street-discipline': { level: 'county', department: 'discipline' } },
      periods: { 'promotion.notice': { workingDays: 7 } },
      provenance: { 'periods.promotion.notice': { status: 'inferred', note: expect.stringContaining('example county') } },
    });
    const types = await request(app)
      .get('/api/v1/case-types')
      .set('Authorization', await bearer('clerk-jsl'));
    const promotion = types.body.items.find((t: { type: string }) => t.type === 'promotion');
    expect(promotion.description.zh).toContain('公示7个工作日');
  });

  test('a clearance the street verified is approved by the county commission, and carried out within 10 working days', async () => {
    const c = await drive.submitted('clerk-jsl', 'name-clearing', 'w-jsl-10', {
      accusationRef: 'XF-2026-9',
      findingSummary: '反映问题不属实',
      verifiedBy: 'street-discipline',
    });
    await drive.act('jgw-nhl-1', c.id, { action: 'approve', data: { finding: 'untrue' } });
    await drive.act('jgw-nhl-2', c.id, { action: 'approve', data: { wantsClearance: true, method: 'written', scope: '本人' } });
    const approval = await drive.get('clerk-jsl', c.id);
    // The Jiangsu rules have the street commission's leadership approve; this county's approves itself.
    expect(approval.body).toMatchObject({ currentStage: { id: 'approval' }, assignees: ['jw-1'] });
    await drive.act('jw-1', c.id, { action: 'approve' });
    const casefile = await dossier(c.id);
    expect(casefile.process.ruleSet).toEqual({ id: 'gulou-example', version: 1 });
    expect(casefile.process.stages.find((s: { id: string }) => s.id === 'clearance').deadline).toEqual({ workingDays: 10 });
  });

  test('a promotion’s notice and an exit’s hearing take the county’s periods', async () => {
    const promotion = await drive.submitted('clerk-jyj', 'promotion', 'w-jyj-03', { kind: 'regular' });
    expect((await dossier(promotion.id)).process.publicNotice).toMatchObject({ period: { workingDays: 7 } });
    const exit = await drive.submitted('clerk-jsl', 'exit', 'w-jsl-05', { reason: 'consecutive-incompetent', detail: 'x' });
    expect((await dossier(exit.id)).process.stages.find((s: { id: string }) => s.id === 'hearing').deadline).toEqual({ workingDays: 7 });
  });
});
