import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../infra/config';
import { freePort, killWithThisProcess, stopChild } from '../infra/processes';
import { resolveTool } from '../infra/temporal-binaries';
import { bearer, TEST_AUTH } from './helpers/api';
import { createTestDatabase, type TestDatabase } from './helpers/database';
import { devServer, uniqueTaskQueue } from './helpers/temporal';

/**
 * `npm run api` and `npm run worker` with OTEL_EXPORTER_OTLP_ENDPOINT pointing at a real Jaeger (all-in-one, its
 * in-memory store): one case submitted over HTTP gives one trace that holds the HTTP request, Temporal's client call,
 * the workflow and its activities, from both processes.
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

describe('OpenTelemetry tracing', () => {
  let db: TestDatabase;
  let temporal: Awaited<ReturnType<typeof devServer>>;
  const children: ChildProcess[] = [];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cases-tracing-'));
  let otlp: string;
  let query: string;
  let api: string;

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
    const [otlpPort, queryPort, grpcPort, apiPort] = [await freePort(), await freePort(), await freePort(), await freePort()];
    otlp = `http://127.0.0.1:${otlpPort}`;
    query = `http://127.0.0.1:${queryPort}`;
    api = `http://127.0.0.1:${apiPort}`;
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
    const env = {
      TEMPORAL_ADDRESS: temporal.address,
      DATABASE_URL: db.url,
      TEMPORAL_TASK_QUEUE: uniqueTaskQueue('tracing'),
      RULE_SET: 'demo',
      LOG_LEVEL: 'warn',
      OTEL_EXPORTER_OTLP_ENDPOINT: otlp,
      // One DATA_DIR for both: the payload codec's key ring generated there is the one both processes use.
      DATA_DIR: dir,
    };
    start('worker.ts', env);
    start('api.ts', { ...env, PORT: String(apiPort), AUTH_JWT_SECRET: TEST_AUTH.jwtSecret });
    await until('the API', async () => ((await fetch(`${api}/readyz`)).ok ? true : undefined), 90_000);
  }, 900_000);

  afterAll(async () => {
    for (const child of children.reverse()) await stopChild(child);
    await temporal?.close();
    await db?.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('one trace spans the API request, the workflow and its activities', async () => {
    const res = await fetch(`${api}/api/v1/cases`, {
      method: 'POST',
      headers: { Authorization: await bearer('clerk-jsl'), 'Content-Type': 'application/json' },
      body: JSON.stringify({ type: 'promotion', subjectId: 'w-jsl-03', payload: { kind: 'regular' } }),
    });
    expect(res.status).toBe(201);

    // The spans of one trace reach Jaeger from two processes in batches: wait until every kind is there. The case
    // starts by update-with-start and then waits for its approver, so the workflow's own span is the update's
    // handler (RunWorkflow ends only when the case does); inside it, activities scheduled (StartActivity, workflow
    // side) and run (RunActivity, activity side).
    const wanted = {
      'community-cases-api': [/^POST/, /^(UpdateWith)?StartWorkflow:/],
      'community-cases-worker': [/^HandleUpdate:submit$/, /^StartActivity:/, /^RunActivity:/],
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
  }, 120_000);
});
