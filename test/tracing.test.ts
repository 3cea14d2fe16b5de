import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildWorkflowBundle } from '../app/runtime';
import { PROJECT_ROOT } from '../infra/config';
import { freePort, killWithThisProcess, stopChild } from '../infra/processes';
import { resolveTool } from '../infra/temporal-binaries';
import { bearer, TEST_AUTH } from './helpers/api';
import { createTestDatabase, type TestDatabase } from './helpers/database';
import { devServer, uniqueTaskQueue } from './helpers/temporal';

/**
 * `npm run api` and `npm run worker` with OTEL_EXPORTER_OTLP_ENDPOINT pointing at a real Jaeger (all-in-one, its
 * in-memory store): one case submitted over HTTP gives one trace that holds the HTTP request, Temporal's client call,
 * the workflow and its activities, from both processes. Once with a worker that bundles the workflows at start, once
 * with one that loads the prebuilt bundle (WORKFLOW_BUNDLE_PATH, as `npm run cluster` and the image run it), and
 * once with that bundle on a worker without tracing, which must run it without complaint.
 */
/**
 * Jaeger v2 (module tag v1.76.0): JAEGER_PATH, else on PATH, else .tools/go/bin. Its module has replace directives,
 * so `go install` refuses it: build it inside the downloaded module (`cd $(go mod download -json …@v1.76.0 | jq -r
 * .Dir) && go build -o <dir>/jaeger ./cmd/jaeger`, ~8 minutes on 2 cores) and name it in JAEGER_PATH.
 */
const JAEGER_SPEC = { command: 'jaeger', envVar: 'JAEGER_PATH', goModule: 'github.com/jaegertracing/jaeger/cmd/jaeger@v1.76.0' };
let JAEGER = '';

interface JaegerSpan {
  spanID: string;
  operationName: string;
  processID: string;
}
interface JaegerTrace {
  traceID: string;
  spans: JaegerSpan[];
  processes: Record<string, { serviceName: string }>;
}

const WORKERS = ['bundlesAtStart', 'prebuilt', 'prebuiltUntraced'] as const;
type Worker = (typeof WORKERS)[number];
/** Each traced worker's service name: the prebuilt one's own, so that its spans cannot be the other worker's. */
const WORKER_SERVICE = { bundlesAtStart: 'community-cases-worker', prebuilt: 'community-cases-worker-prebuilt', prebuiltUntraced: '' };

describe('OpenTelemetry tracing', () => {
  let db: TestDatabase;
  let temporal: Awaited<ReturnType<typeof devServer>>;
  const children: ChildProcess[] = [];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cases-tracing-'));
  let otlp: string;
  let query: string;
  /** Each worker's API, on the worker's own task queue. */
  const apis: Record<Worker, string> = { bundlesAtStart: '', prebuilt: '', prebuiltUntraced: '' };
  /** What each worker wrote on stderr (the SDK's logger writes there). */
  const workerLogs: Record<Worker, string> = { bundlesAtStart: '', prebuilt: '', prebuiltUntraced: '' };

  function start(script: string, env: NodeJS.ProcessEnv, args: string[] = []): ChildProcess {
    const child = spawn(
      script === 'jaeger' ? JAEGER : process.execPath,
      script === 'jaeger' ? args : ['--import', 'tsx', path.join(PROJECT_ROOT, 'scripts', script)],
      {
        env: { ...process.env, ...env },
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    killWithThisProcess(child);
    children.push(child);
    child.stderr?.setEncoding('utf8');
    return child;
  }

  async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const value = await probe().catch(() => undefined);
      if (value !== undefined) return value;
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
  }

  beforeAll(async () => {
    const jaeger = resolveTool(JAEGER_SPEC, { log: (line) => console.log(`[jaeger] ${line}`) });
    if (!jaeger) throw new Error('no Jaeger: set JAEGER_PATH, or install Go so that the test can build it');
    JAEGER = jaeger.path;
    const [otlpPort, queryPort, grpcPort] = [await freePort(), await freePort(), await freePort()];
    otlp = `http://127.0.0.1:${otlpPort}`;
    query = `http://127.0.0.1:${queryPort}`;
    const config = path.join(dir, 'jaeger.yaml');
    fs.writeFileSync(
      config,
      [
        'service:',
        '  extensions: [jaeger_storage, jaeger_query]',
        '  pipelines: { traces: { receivers: [otlp], processors: [batch], exporters: [jaeger_storage_exporter] } }',
        '  telemetry: { metrics: { level: none }, logs: { level: warn } }',
        'extensions:',
        `  jaeger_query: { storage: { traces: memory }, http: { endpoint: 127.0.0.1:${queryPort} }, grpc: { endpoint: 127.0.0.1:${grpcPort} } }`,
        '  jaeger_storage: { backends: { memory: { memory: { max_traces: 1000 } } } }',
        `receivers: { otlp: { protocols: { http: { endpoint: 127.0.0.1:${otlpPort} } } } }`,
        'processors: { batch: { timeout: 100ms } }',
        'exporters: { jaeger_storage_exporter: { trace_storage: memory } }',
        '',
      ].join('\n'),
    );
    start('jaeger', {}, [`--config=file:${config}`]);
    await until('Jaeger', async () => ((await fetch(`${query}/api/services`)).ok ? true : undefined));

    db = await createTestDatabase({ seeded: true });
    temporal = await devServer();
    // Built as the Dockerfile (scripts/bundle-workflows.ts) and `npm run cluster` build it.
    const bundle = path.join(dir, 'workflow-bundle.js');
    await buildWorkflowBundle(bundle);
    const workerEnv: Record<Worker, NodeJS.ProcessEnv> = {
      bundlesAtStart: {},
      prebuilt: { WORKFLOW_BUNDLE_PATH: bundle, OTEL_SERVICE_NAME: WORKER_SERVICE.prebuilt },
      prebuiltUntraced: { WORKFLOW_BUNDLE_PATH: bundle, OTEL_EXPORTER_OTLP_ENDPOINT: '' },
    };
    for (const worker of WORKERS) {
      const env = {
        TEMPORAL_ADDRESS: temporal.address,
        DATABASE_URL: db.url,
        TEMPORAL_TASK_QUEUE: uniqueTaskQueue(`tracing-${worker}`),
        RULE_SET: 'demo',
        LOG_LEVEL: 'warn',
        OTEL_EXPORTER_OTLP_ENDPOINT: otlp,
        // One DATA_DIR for all: the payload codec's key ring generated there is the one every process uses.
        DATA_DIR: dir,
      };
      start('worker.ts', { ...env, ...workerEnv[worker] }).stderr?.on('data', (chunk: string) => (workerLogs[worker] += chunk));
      const port = await freePort();
      apis[worker] = `http://127.0.0.1:${port}`;
      start('api.ts', { ...env, PORT: String(port), AUTH_JWT_SECRET: TEST_AUTH.jwtSecret });
    }
    for (const worker of WORKERS) {
      await until(`the API of ${worker}`, async () => ((await fetch(`${apis[worker]}/readyz`)).ok ? true : undefined), 120_000);
    }
  }, 900_000);

  afterAll(async () => {
    for (const child of children.reverse()) await stopChild(child);
    await temporal?.close();
    await db?.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const submit = async (worker: Worker, subjectId: string) =>
    fetch(`${apis[worker]}/api/v1/cases`, {
      method: 'POST',
      // The clerk of the worker's community (w-<community>-nn).
      headers: { Authorization: await bearer(`clerk-${subjectId.split('-')[1]}`), 'Content-Type': 'application/json' },
      body: JSON.stringify({ type: 'promotion', subjectId, payload: { kind: 'regular' } }),
    });

  test.each([
    ['bundles the workflows at start', 'bundlesAtStart', 'w-jsl-03'],
    ['loads the prebuilt workflow bundle', 'prebuilt', 'w-jsl-02'],
  ] as const)(
    'one trace spans the API request, the workflow and its activities: a worker that %s',
    async (_, worker, subjectId) => {
      const res = await submit(worker, subjectId);
      expect(res.status).toBe(201);

      // The spans of one trace reach Jaeger from two processes in batches: wait until every kind is there. The case
      // starts by update-with-start and then waits for its approver, so the workflow's own span is the update's
      // handler (RunWorkflow ends only when the case does); inside it, activities scheduled (StartActivity, workflow
      // side) and run (RunActivity, activity side).
      const wanted = {
        'community-cases-api': [/^POST/, /^(UpdateWith)?StartWorkflow:/],
        [WORKER_SERVICE[worker]]: [/^HandleUpdate:submit$/, /^StartActivity:/, /^RunActivity:/],
      };
      const names = (t: JaegerTrace, service: string) =>
        t.spans.filter((s) => t.processes[s.processID]?.serviceName === service).map((s) => s.operationName);
      const complete = (t: JaegerTrace) =>
        Object.entries(wanted).every(([service, patterns]) => patterns.every((p) => names(t, service).some((n) => p.test(n))));
      let last: JaegerTrace[] = [];
      const trace = await until('one trace with the request, the workflow and an activity', async () => {
        last = ((await (await fetch(`${query}/api/traces?service=community-cases-api&limit=50`)).json()) as { data: JaegerTrace[] }).data;
        return last.find(complete);
      }).catch((err: Error) => {
        throw new Error(`${err.message}; traces seen: ${JSON.stringify(last.map((t) => Object.keys(wanted).map((s) => names(t, s))))}`);
      });
      for (const [service, patterns] of Object.entries(wanted)) {
        expect(names(trace, service)).toEqual(expect.arrayContaining(patterns.map((p) => expect.stringMatching(p))));
      }
    },
    120_000,
  );

  test('a worker without tracing runs the prebuilt bundle, its workflow spans discarded without complaint', async () => {
    const res = await submit('prebuiltUntraced', 'w-mtj-03');
    // 201: the worker ran the submit update, through the bundle's OpenTelemetry interceptors.
    expect(res.status).toBe(201);
    // The interceptors' spans reach the `exporter` sink at the end of the workflow task; an unregistered sink
    // would be logged there, once per task. Another case's task ends after this one's.
    expect((await submit('prebuiltUntraced', 'w-mtj-02')).status).toBe(201);
    expect(workerLogs.prebuiltUntraced).not.toMatch(/sink/i);
  }, 120_000);
});
