/**
 * `npm run soak -- [--minutes 30] [--rate 4]`: the production topology (as `npm run cluster`: the full Temporal
 * server with mTLS on PostgreSQL, two workers, two APIs behind one port) under a steady load of promotions for a
 * long while, to see what grows: each database's size per case, and each process's memory over time. Prints a
 * line a minute and writes bench/results/soak-<date>.{json,md}; the demo rule set (3 s notice) completes cases.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Pool } from 'pg';
import { startStack } from '../app/stack';
import { PROJECT_ROOT } from '../infra/config';
import { DEPLOYMENT } from '../infra/deployment';
import { figures, startLoad, unexpectedAnswers, unexpectedByRoute } from '../test/cluster/load';
import { ApiClient } from './http';
import { treePss } from './stack';
import { createSubjects } from './subjects';

const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '30' },
    rate: { type: 'string', default: '4' },
    keep: { type: 'boolean', default: false },
  },
});
const minutes = Number(values.minutes);
const rate = Number(values.rate);
const log = (line: string) => console.log(`[soak] ${line}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const secret = 'soak-secret-of-at-least-32-characters-long';

/** Memory (MB) of a process: its proportional set size, and for PostgreSQL that of its backends too (shared memory counted once). */
function memoryMb(pid: number | undefined, withChildren = false): number | undefined {
  if (!pid) return undefined;
  try {
    if (withChildren) return Math.round(treePss(pid) ?? 0);
    return Math.round(Number(/^Pss:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'))?.[1] ?? 0) / 1024);
  } catch {
    return undefined;
  }
}

interface Sample {
  minute: number;
  completed: number;
  bytes: Record<string, number>;
  rss: Record<string, number | undefined>;
}

async function main() {
  const stack = await startStack({
    env: { ...process.env, RULE_SET: 'demo', LOG_LEVEL: 'warn', AUTH_JWT_SECRET: secret, DATABASE_URL: '', TEMPORAL_ADDRESS: '' },
    data: { throwaway: 'cases-soak-', keep: values.keep },
    ports: 'free',
    database: DEPLOYMENT.databases.service,
    seed: true,
    temporal: { server: 'cluster' },
    replicas: DEPLOYMENT.replicas,
    log,
  });
  const admin = new Pool({ connectionString: stack.postgres?.adminUrl, max: 1 });
  const service = new Pool({ connectionString: stack.databaseUrl, max: 2 });
  const api = new ApiClient(stack.api?.url as string, {
    issuer: 'community-cases',
    audience: 'community-cases-api',
    jwtSecret: secret,
    jwksAlgorithms: [],
  });
  const subjects = await createSubjects(service, Math.ceil((rate * minutes * 60 * 1.1) / 4) + 10);
  const databases = [DEPLOYMENT.databases.service, DEPLOYMENT.databases.temporal, DEPLOYMENT.databases.visibility];
  const sizes = async () => {
    const { rows } = await admin.query<{ datname: string; bytes: string }>(
      'SELECT datname, pg_database_size(datname) AS bytes FROM pg_database WHERE datname = ANY($1::text[])',
      [databases],
    );
    return Object.fromEntries(rows.map((r) => [r.datname, Number(r.bytes)]));
  };
  const completed = async () =>
    Number((await service.query<{ n: string }>(`SELECT count(*) AS n FROM "Case" WHERE status = 'completed'`)).rows[0]?.n ?? 0);
  const memory = () => {
    const ids = stack.processIds();
    return Object.fromEntries(Object.entries(ids).map(([name, pid]) => [name, memoryMb(pid, name === 'postgres')]));
  };

  // The API's deadline for a call into Temporal: an answer later than it is not designed behaviour.
  const deadlineMs = stack.config.temporal.rpcTimeoutMs;
  const samples: Sample[] = [{ minute: 0, completed: await completed(), bytes: await sizes(), rss: memory() }];
  log(`start: ${JSON.stringify(samples[0])}`);
  const load = startLoad({ api, subjects, casesPerSecond: rate });
  const started = Date.now();
  for (let minute = 1; minute <= minutes; minute += 1) {
    await sleep(Math.max(0, started + minute * 60_000 - Date.now()));
    const sample = { minute, completed: await completed(), bytes: await sizes(), rss: memory() };
    samples.push(sample);
    const unexpected = unexpectedAnswers(load.attempts, deadlineMs);
    log(
      `minute ${minute}: ${sample.completed} completed; ${unexpected.length} unexpected answers so far (${JSON.stringify(unexpectedByRoute(unexpected))}); MB ${databases.map((d) => `${d} ${((sample.bytes[d] ?? 0) / 1e6).toFixed(1)}`).join(', ')}; memory (PSS) MB ${JSON.stringify(sample.rss)}`,
    );
  }
  const { attempts, cases } = await load.stop();
  await sleep(15_000); // the last notices run out
  const last = { minute: minutes, completed: await completed(), bytes: await sizes(), rss: memory() };
  const first = samples[0] as Sample;
  const done = last.completed - first.completed;
  const perCase = Object.fromEntries(
    databases.map((d) => [d, Math.round(((last.bytes[d] ?? 0) - (first.bytes[d] ?? 0)) / Math.max(done, 1))]),
  );
  // Memory growth: the slope over the second half (the first half includes warm-up: JIT, caches, pools).
  const half = samples.filter((s) => s.minute >= minutes / 2);
  const slope = (name: string) => {
    const a = half[0]?.rss[name];
    const b = half.at(-1)?.rss[name];
    return a !== undefined && b !== undefined
      ? Math.round(((b - a) / Math.max(1, (half.at(-1)?.minute ?? 1) - (half[0]?.minute ?? 0))) * 10) / 10
      : undefined;
  };
  const f = figures('soak', attempts, cases, started, deadlineMs);
  const byRoute = unexpectedByRoute(f.unexpected);
  const result = {
    when: new Date().toISOString(),
    machine: {
      cpus: os.cpus().length,
      model: os.cpus()[0]?.model,
      memoryGb: Math.round(os.totalmem() / 2 ** 30),
      loadAverage: os.loadavg(),
    },
    minutes,
    casesPerSecond: rate,
    casesStarted: cases.length,
    casesCompleted: done,
    failures: cases.filter((c) => c.failure).length,
    requests: f.requests,
    unavailable503: f.unavailable503,
    maxLatencyMs: f.maxLatencyMs,
    deadlineMs,
    serverErrors: f.serverErrors,
    connectionErrors: f.connectionErrors,
    pastDeadline: f.pastDeadline,
    unexpectedByRoute: byRoute,
    /** Every answer other than designed back-pressure: 5xx but 503, dropped connections, answers past the deadline. */
    unexpected: f.unexpected,
    bytesPerCase: perCase,
    rssMbFirst: samples[1]?.rss,
    rssMbLast: last.rss,
    rssMbPerMinuteSecondHalf: Object.fromEntries(Object.keys(last.rss).map((n) => [n, slope(n)])),
    samples,
  };
  const stamp = result.when.replace(/[:.]/g, '-').slice(0, 19);
  const out = path.join(PROJECT_ROOT, 'bench', 'results', `soak-${stamp}`);
  fs.writeFileSync(`${out}.json`, JSON.stringify(result, null, 2));
  fs.writeFileSync(
    `${out}.md`,
    [
      `# Soak ${result.when}`,
      '',
      `${minutes} min at ${rate} cases/s on the production topology (npm run cluster), ${result.machine.cpus} × ${result.machine.model}, load average at the end ${result.machine.loadAverage.map((l) => l.toFixed(1)).join(' / ')}.`,
      '',
      `Cases started ${result.casesStarted}, completed ${done}, failed ${result.failures}; requests ${result.requests}, 503s ${result.unavailable503}, slowest answer ${result.maxLatencyMs} ms.`,
      '',
      `Anything but designed back-pressure (503 with Retry-After, 429): other 5xx ${f.serverErrors}, dropped connections ${f.connectionErrors}, answers past the ${deadlineMs} ms deadline ${f.pastDeadline}${f.unexpected.length ? ' (each one with its time in the .json file, "unexpected"):' : ': none.'}`,
      '',
      ...(f.unexpected.length
        ? [
            '| What | Status | Route | Count |',
            '| --- | ---: | --- | ---: |',
            ...Object.entries(byRoute).map(([key, n]) => {
              const u = f.unexpected.find((x) => `${x.kind} ${x.status} ${x.route}` === key)!;
              return `| ${u.kind} | ${u.status || '—'} | \`${u.route}\` | ${n} |`;
            }),
            '',
          ]
        : []),
      '| Database | Bytes per completed case |',
      '| --- | ---: |',
      ...databases.map((d) => `| ${d} | ${perCase[d] ?? 0} |`),
      '',
      '| Process | Memory (PSS) after 1 min (MB) | at the end (MB) | Growth in the second half (MB/min) |',
      '| --- | ---: | ---: | ---: |',
      ...Object.keys(last.rss).map(
        (n) => `| ${n} | ${result.rssMbFirst?.[n] ?? ''} | ${last.rss[n] ?? ''} | ${result.rssMbPerMinuteSecondHalf[n] ?? ''} |`,
      ),
      '',
    ].join('\n'),
  );
  log(`written ${out}.{json,md}`);
  api.close();
  await admin.end();
  await service.end();
  await stack.stop();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
