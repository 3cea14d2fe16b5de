import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { deploymentArtifacts } from '../app/deployment-artifacts';
import { STICKY_QUEUE_TIMEOUT } from '../app/runtime';
import { PROJECT_ROOT } from '../infra/config';
import { DEPLOYMENT } from '../infra/deployment';
import { TEMPORAL_SERVER_VERSION } from '../infra/temporal-cluster-binaries';
import { HISTORY_SHARDS } from '../infra/temporal-cluster';

/**
 * The deployable artefacts (Dockerfile, deploy/compose.yaml, deploy/kubernetes/, the Temporal server's
 * configuration) are rendered from infra/deployment.ts, the settings npm run cluster runs with: a committed file
 * that differs from its rendering has drifted (npm run deploy:generate writes them again). And the settings the
 * issue asks for hold in what is rendered. The tools that check the files themselves (the Kubernetes API types,
 * the compose schema, hadolint) run in npm run test:cluster.
 */
describe('deployable artefacts', () => {
  const artifacts = deploymentArtifacts();
  type Doc = Record<string, any>;
  const k8s = YAML.parseAllDocuments(artifacts['deploy/kubernetes/community-cases.yaml'] as string).map((d) => d.toJS() as Doc);
  const compose = YAML.parse(artifacts['deploy/compose.yaml'] as string) as Doc;
  const find = (kind: string, name: string) => k8s.find((d) => d.kind === kind && d.metadata.name === name) as Doc;

  test.each(Object.keys(artifacts))('%s is what infra/deployment.ts renders (npm run deploy:generate)', (file) => {
    expect(fs.readFileSync(path.join(PROJECT_ROOT, file), 'utf8')).toBe(artifacts[file]);
  });

  test('Dockerfile: multi-stage on Debian, non-root, with a health check and the prebuilt workflow bundle', () => {
    const dockerfile = artifacts.Dockerfile as string;
    const stages = dockerfile.match(/^FROM .+$/gm) ?? [];
    expect(stages.length).toBeGreaterThanOrEqual(3);
    expect(stages.at(-1)).toBe(`FROM ${DEPLOYMENT.images.node}`);
    expect(DEPLOYMENT.images.node).toMatch(/bookworm/);
    expect(dockerfile).toMatch(/^USER 1000:1000$/m);
    expect(dockerfile).toMatch(/^HEALTHCHECK .+\n\s+CMD .+\/healthz/m);
    expect(dockerfile).toContain(`go.temporal.io/server/cmd/tools/sql@${TEMPORAL_SERVER_VERSION}`);
    expect(dockerfile).toMatch(/WORKFLOW_BUNDLE_PATH=\S+/);
  });

  test('every image is pinned, and Temporal is the release npm run cluster builds', () => {
    const images = [
      ...Object.values(compose.services as Record<string, Doc>).map((s) => s.image as string),
      ...k8s.flatMap((d) => (d.spec?.template?.spec?.containers ?? []).map((c: Doc) => c.image as string)),
    ];
    for (const image of images) expect(image).toMatch(/:[0-9][\w.-]*$/);
    expect(DEPLOYMENT.images.temporalServer).toBe(`temporalio/server:${TEMPORAL_SERVER_VERSION.replace(/^v/, '')}`);
    expect(compose.services.temporal.image).toBe(DEPLOYMENT.images.temporalServer);
  });

  test("Kubernetes: replicas, probes, resources, disruption budgets and a grace period beyond the worker's", () => {
    for (const role of ['api', 'worker'] as const) {
      const deployment = find('Deployment', `community-cases-${role}`);
      const pod = deployment.spec.template.spec;
      const [container] = pod.containers as Doc[];
      expect(deployment.spec.replicas).toBe(DEPLOYMENT.replicas[role]);
      expect(pod.terminationGracePeriodSeconds).toBeGreaterThan(
        DEPLOYMENT.shutdown.workerGraceSeconds + DEPLOYMENT.shutdown.preStopSeconds,
      );
      expect(pod.securityContext.runAsNonRoot).toBe(true);
      expect(container?.resources).toEqual(DEPLOYMENT.resources[role]);
      expect(container?.livenessProbe.httpGet.path).toBe(role === 'api' ? DEPLOYMENT.probes.liveness : '/metrics');
      if (role === 'api') expect(container?.readinessProbe.httpGet.path).toBe(DEPLOYMENT.probes.readiness);
      expect(find('PodDisruptionBudget', `community-cases-${role}`).spec.minAvailable).toBe(DEPLOYMENT.podDisruptionBudget.minAvailable);
    }
    expect(DEPLOYMENT.shutdown.terminationGracePeriodSeconds).toBeGreaterThan(DEPLOYMENT.shutdown.workerGraceSeconds);
  });

  test("compose: API and worker as separate services with the replicas, and the worker's stop grace", () => {
    expect(compose.services.api.deploy.replicas).toBe(DEPLOYMENT.replicas.api);
    expect(compose.services.worker.deploy.replicas).toBe(DEPLOYMENT.replicas.worker);
    expect(compose.services.worker.stop_grace_period).toBe(`${DEPLOYMENT.shutdown.terminationGracePeriodSeconds}s`);
  });

  test('NODE_ENV=production generates no secret: each API and worker container is given, as a mounted file, every key it refuses to start without', () => {
    // What each process reads at start in production (infra/payload-codec.ts, infra/ledger-key.ts, infra/secret-files.ts).
    const needs = {
      api: ['PAYLOAD_CODEC_KEYS_FILE', 'LEDGER_SIGNING_KEY_FILE', 'PUBLIC_CHALLENGE_SECRET_FILE'],
      worker: ['PAYLOAD_CODEC_KEYS_FILE'],
    };
    for (const role of ['api', 'worker'] as const) {
      const service = compose.services[role];
      expect(service.environment.NODE_ENV).toBe('production');
      const mounted = (service.volumes as string[]).map((v) => v.split(':')[1]);
      for (const name of needs[role]) expect(mounted).toContain(service.environment[name]);
      const pod = find('Deployment', `community-cases-${role}`).spec.template.spec;
      const [container] = pod.containers as Doc[];
      const env = Object.fromEntries((container?.env as Doc[]).map((e) => [e.name, e.value]));
      const keys = pod.volumes.find((v: Doc) => v.name === 'service-keys').secret;
      const mountPath = container?.volumeMounts.find((m: Doc) => m.name === 'service-keys').mountPath;
      const files = (keys.items as Doc[]).map((i) => `${mountPath}/${i.path}`);
      for (const name of needs[role]) expect(files).toContain(env[name]);
      // The same file in both; a worker never holds the ledger's signing key.
      expect(needs[role].map((n) => env[n])).toEqual(needs[role].map((n) => service.environment[n]));
      if (role === 'worker') expect(files.some((f) => f.includes('ledger'))).toBe(false);
    }
  });

  test('the Temporal server in containers runs the configuration npm run cluster writes, with mTLS and the same shards', () => {
    const server = YAML.parse(artifacts['deploy/temporal/production.yaml'] as string) as Doc;
    expect(artifacts['deploy/temporal/production.yaml']).toMatch(/^# enable-template\n/);
    expect(server.persistence.numHistoryShards).toBe(HISTORY_SHARDS);
    expect(server.global.tls.frontend.server.requireClientAuth).toBe(true);
    expect(server.global.tls.internode.server.requireClientAuth).toBe(true);
    expect(server.global.tls.systemWorker.certFile).toBeDefined();
    expect(find('ConfigMap', 'temporal-config').data['production.yaml']).toBe(artifacts['deploy/temporal/production.yaml']);
    expect(STICKY_QUEUE_TIMEOUT).toBe('2s');
  });
});
