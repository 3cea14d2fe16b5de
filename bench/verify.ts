/**
 * `npm run -s bench:verify -- [--cases 20000] [--parts 1,2,4] [--repeat 3]`: the whole-chain verification
 * (GET /audit/verify, services/audit.ts verifyChains) against its same-run baseline, the verifier it replaced
 * (bench/baseline-verify.ts). Starts a throwaway PostgreSQL (or uses DATABASE_URL: a throwaway database, rows are
 * added), bulk-loads `cases` cases through the real engine's chains (bench/bulk-load.ts), then times each verifier
 * `repeat` times, in turns, in this process: wall time, events a second, this process's CPU, and its peak heap and
 * RSS above what they were before the walk. Writes bench/results/verify-<date>.{json,md} and verify-latest.*.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Pool } from 'pg';
import { prepareDatabase } from '../app/stack';
import { PROJECT_ROOT } from '../infra/config';
import { startEmbeddedPostgres, temporaryDataDir } from '../infra/postgres';
import { freePort } from '../infra/processes';
import { createPrisma } from '../infra/prisma';
import { verifyChains } from '../services/audit';
import { createStore } from '../store';
import { baselineVerifyChains } from './baseline-verify';
import { bulkLoad, prepareHistoryOrg } from './bulk-load';
import { progress } from './progress';

interface Run {
  verifier: string;
  seconds: number;
  eventsPerSecond: number;
  checked: number;
  ok: boolean;
  /** CPU of this process (user + system) per wall second: 1 = one core busy. */
  cpuCores: number;
  heapPeakMB: number;
  rssPeakMB: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;

/** Times one walk, sampling this process's heap and RSS every 20 ms. */
async function measure(verifier: string, walk: () => Promise<{ ok: boolean; checked: number }>): Promise<Run> {
  global.gc?.();
  const before = process.memoryUsage();
  let heap = before.heapUsed;
  let rss = before.rss;
  const timer = setInterval(() => {
    const m = process.memoryUsage();
    heap = Math.max(heap, m.heapUsed);
    rss = Math.max(rss, m.rss);
  }, 20);
  const cpu = process.cpuUsage();
  const t0 = performance.now();
  const result = await walk();
  const ms = performance.now() - t0;
  const used = process.cpuUsage(cpu);
  clearInterval(timer);
  return {
    verifier,
    seconds: round(ms / 1000, 2),
    eventsPerSecond: Math.round(result.checked / (ms / 1000)),
    checked: result.checked,
    ok: result.ok,
    cpuCores: round((used.user + used.system) / 1000 / ms, 2),
    heapPeakMB: round((heap - before.heapUsed) / 2 ** 20),
    rssPeakMB: round((rss - before.rss) / 2 ** 20),
  };
}

async function main() {
  const { values } = parseArgs({
    options: {
      cases: { type: 'string', default: '20000' },
      parts: { type: 'string', default: '1,2,4' },
      repeat: { type: 'string', default: '3' },
      out: { type: 'string', default: 'bench/results' },
    },
  });
  const cases = Number(values.cases);
  const parts = values.parts.split(',').map(Number);
  const repeat = Number(values.repeat);
  if (!(cases > 0) || parts.some((p) => !Number.isInteger(p) || p < 1) || !(repeat >= 1))
    throw new Error('usage: --cases N --parts 1,2,4 --repeat 3');
  const started = new Date();
  const log = (line: string) => progress.log(line);

  let stopPostgres: (() => Promise<void>) | undefined;
  let url = process.env.DATABASE_URL;
  if (!url) {
    const pg = await startEmbeddedPostgres({
      dataDir: temporaryDataDir('cases-bench-verify-'),
      port: await freePort(),
      persistent: false,
      log,
    });
    stopPostgres = pg.stop;
    url = pg.urlFor('bench_verify');
  }
  const pool = new Pool({ connectionString: url, max: 4 });
  // A client still checked out when PostgreSQL stops (after a failure) must not hide that failure.
  pool.on('error', () => undefined);
  const prisma = createPrisma(url, Math.max(...parts) + 2);
  const runs: Run[] = [];
  let load;
  try {
    await prepareDatabase(url, { seed: true, log });
    const org = await prepareHistoryOrg(pool, 11);
    progress.start(`bulk-loading ${cases.toLocaleString('en')} cases`, cases);
    load = await bulkLoad(pool, org, cases, { openShare: 0.05, years: 5, seed: cases }, (done) => progress.update(done));
    progress.stop(`${load.events.toLocaleString('en')} events in ${load.seconds} s`);
    await pool.query('VACUUM (ANALYZE) "Case", "CaseEvent"');
    const store = createStore(prisma);
    const verifiers: [string, () => Promise<{ ok: boolean; checked: number }>][] = [
      ['baseline (batches of 500 cases, one connection)', () => baselineVerifyChains(prisma)],
      ...parts.map((p): [string, () => Promise<{ ok: boolean; checked: number }>] => [
        `streamed, ${p} range${p > 1 ? 's' : ''} at once`,
        () => verifyChains(store.audit, undefined, p),
      ]),
    ];
    // A warm-up walk of each (JIT, connections, PostgreSQL's cache), then the timed ones in turns.
    for (const [, walk] of verifiers) await walk();
    for (let i = 0; i < repeat; i += 1) {
      for (const [name, walk] of verifiers) {
        const run = await measure(name, walk);
        log(
          `${name}: ${run.seconds} s, ${run.eventsPerSecond.toLocaleString('en')} events/s, ${run.cpuCores} cores, heap +${run.heapPeakMB} MB`,
        );
        runs.push(run);
      }
    }
  } finally {
    await prisma.$disconnect();
    await pool.end();
    await stopPostgres?.();
  }

  const names = [...new Set(runs.map((r) => r.verifier))];
  const summary = names.map((verifier) => {
    const mine = runs.filter((r) => r.verifier === verifier);
    return {
      verifier,
      seconds: median(mine.map((r) => r.seconds)),
      eventsPerSecond: median(mine.map((r) => r.eventsPerSecond)),
      cpuCores: median(mine.map((r) => r.cpuCores)),
      heapPeakMB: Math.max(...mine.map((r) => r.heapPeakMB)),
      rssPeakMB: Math.max(...mine.map((r) => r.rssPeakMB)),
      ok: mine.every((r) => r.ok),
    };
  });
  const baseline = summary[0]!;
  const cpus = os.cpus();
  const md = [
    `# Whole-chain verification, ${started.toISOString()}`,
    '',
    `${cpus[0]?.model.trim()} × ${cpus.length}, load average at the end ${os
      .loadavg()
      .map((v) => v.toFixed(2))
      .join(' ')}; ${cases.toLocaleString('en')} cases, ${load?.events.toLocaleString('en')} events; median of ${repeat}.`,
    '',
    '| verifier | seconds | events/s | × baseline | CPU of this process (cores) | peak heap above start | peak RSS above start | ok |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
    ...summary.map(
      (s) =>
        `| ${s.verifier} | ${s.seconds} | ${s.eventsPerSecond.toLocaleString('en')} | ${round(s.eventsPerSecond / baseline.eventsPerSecond, 2)} | ${s.cpuCores} | ${s.heapPeakMB} MB | ${s.rssPeakMB} MB | ${s.ok ? 'yes' : 'NO'} |`,
    ),
    '',
  ].join('\n');
  const dir = path.resolve(PROJECT_ROOT, values.out);
  fs.mkdirSync(dir, { recursive: true });
  const stamp = started.toISOString().replace(/[:.]/g, '-').slice(0, 19);
  const json = `${JSON.stringify({ date: started.toISOString(), command: `npm run bench:verify -- ${process.argv.slice(2).join(' ')}`.trim(), cases, load, runs, summary }, null, 2)}\n`;
  for (const name of [`verify-${stamp}`, 'verify-latest']) {
    fs.writeFileSync(path.join(dir, `${name}.json`), json);
    fs.writeFileSync(path.join(dir, `${name}.md`), md);
  }
  process.stdout.write(`\n${md}`);
  process.exitCode = summary.every((s) => s.ok) ? 0 : 1;
}

main().catch((err) => {
  progress.log(`bench:verify failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  process.exitCode = 1;
});
