/**
 * `npm run bench`: end-to-end throughput and latency against a same-run Temporal baseline, and the cost of
 * the read routes as cases grow. Starts its own stack in a throwaway folder (or uses TEMPORAL_ADDRESS /
 * DATABASE_URL), writes bench/results/bench-<date>.{json,md} and latest.{json,md}, stops everything it
 * started. Flags: `npm run bench -- --help`.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Pool } from 'pg';
import { PROJECT_ROOT } from '../infra/config';
import { parseOptions } from './args';
import { connectBaseline, runBaseline } from './baseline';
import { bulkLoad, prepareHistoryOrg } from './bulk-load';
import { runE2e } from './e2e';
import { ApiClient } from './http';
import { startPeer } from './peers/peer';
import type { Peer } from './peers/types';
import { progress } from './progress';
import { markdown, otherShare, writeResults } from './report';
import type { BenchResults, LevelResult } from './results';
import { measureScale } from './scale';
import { ResourceSampler, startBenchStack, type Stack } from './stack';
import { createSubjects } from './subjects';

const log = (line: string) => progress.log(line);

function packageVersion(name: string): string {
  try {
    return (JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string })
      .version;
  } catch {
    return 'unknown';
  }
}

function git(): { commit: string; dirty: boolean } {
  const rev = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: PROJECT_ROOT, encoding: 'utf8' });
  const status = spawnSync('git', ['status', '--porcelain'], { cwd: PROJECT_ROOT, encoding: 'utf8' });
  return { commit: rev.stdout.trim() || 'unknown', dirty: Boolean(status.stdout.trim()) };
}

/** Error and warning lines (pino levels ≥ 50 and 40) in the worker's and the API's logs. */
function scanLogs(files: string[]): BenchResults['logs'] {
  let errors = 0;
  let warnings = 0;
  const samples: string[] = [];
  for (const file of files) {
    if (!fs.existsSync(file)) continue;
    for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
      const level = /"level":(\d+)/.exec(line)?.[1];
      const plain = !line.startsWith('{') && /\berror\b|\bERROR\b|exception/i.test(line);
      if ((level && Number(level) >= 50) || plain) {
        errors += 1;
        if (samples.length < 5) samples.push(`${path.basename(file)}: ${line.slice(0, 300)}`);
      } else if ((level && Number(level) >= 40) || /\bWARN\b/.test(line)) warnings += 1;
    }
  }
  return { errors, warnings, samples };
}

/** Stops the run when a process of the stack died: the figures after that would measure nothing. */
function assertAlive(stack: Stack) {
  for (const p of stack.processes) {
    const state = (() => {
      try {
        return /^State:\s+(\S)/m.exec(fs.readFileSync(`/proc/${p.pid}/status`, 'utf8'))?.[1];
      } catch {
        return undefined;
      }
    })();
    if (!state || state === 'Z' || state === 'X') {
      throw new Error(
        `${p.name} (pid ${p.pid}) is no longer running${stack.info[`${p.name}Log`] ? `; see ${stack.info[`${p.name}Log`]} (run with --keep to keep it)` : ''}`,
      );
    }
  }
}

async function main() {
  const argv = process.argv.slice(2);
  const options = parseOptions(argv);
  const started = new Date();
  const t0 = performance.now();
  const command = `npm run bench${argv.length ? ` -- ${argv.join(' ')}` : ''}`;
  const cpus = os.cpus();
  const machine = {
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    loadAverageAtStart: os.loadavg(),
  };
  log(
    `community-cases benchmark: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB; load average ${machine.loadAverageAtStart.map((v) => v.toFixed(2)).join(' ')}`,
  );

  let stack: Stack | undefined;
  let peer: Peer | undefined;
  let interrupted = false;
  const onSignal = () => {
    if (interrupted) return;
    interrupted = true;
    log('\ninterrupted: stopping the stack');
    void (peer?.stop() ?? Promise.resolve())
      .catch(() => undefined)
      .then(() => stack?.stop())
      .finally(() => process.exit(130));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  progress.start('starting the stack', 1, 'PostgreSQL, Temporal, migrations, seed, worker, API');
  stack = await startBenchStack(options, log);
  progress.stop('ready');
  if (options.peer) {
    progress.start(`starting the peer (${options.peer})`, 1);
    peer = await startPeer(options.peer, stack, options, log).catch(async (err: unknown) => {
      await stack?.stop();
      throw err;
    });
    progress.stop('ready');
    // Sampled, watched and reported with the stack's processes.
    stack.processes.push(...peer.processes);
    stack.info[`${peer.name}Log`] = peer.logFile;
  }
  const pool = new Pool({ connectionString: stack.databaseUrl, max: 4 });
  const sampler = new ResourceSampler(stack.processes);
  sampler.start();
  const api = new ApiClient(stack.apiUrl, stack.auth);
  const baseline = options.skipBaseline ? undefined : await connectBaseline(stack.config);
  const levels: LevelResult[] = [];
  const scale: BenchResults['scale'] = [];
  let failure: Error | undefined;
  try {
    const { rows: pgVersion } = await pool.query<{ v: string }>(`SELECT current_setting('server_version') AS v`);
    const versions: Record<string, string> = {
      node: process.version,
      'Temporal CLI': stack.info.temporalCli?.replace(/^temporal version\s*/i, '') ?? 'n/a',
      'Temporal server': stack.info.temporalServer ?? 'unknown',
      PostgreSQL: pgVersion[0]?.v ?? 'unknown',
      '@temporalio/*': packageVersion('@temporalio/client'),
      prisma: packageVersion('@prisma/client'),
      express: packageVersion('express'),
      ...peer?.versions,
    };
    Object.assign(stack.info, { versions: JSON.stringify(versions) });

    if (!options.skipE2e) {
      // Enough fresh subjects for every case the levels could start: 60 cases/s is far above this machine.
      const perCommunity = Math.ceil((options.levels.length * options.e2eSeconds * 60 + 40) / 4);
      progress.start('creating eligible subjects', 1, `${perCommunity * 4} workers`);
      const subjects = await createSubjects(pool, perCommunity);
      progress.stop();
      const ctx = { api, pool, subjects };
      // Warm-up (not counted): JIT, workflow bundle, connection pools, caches.
      if (baseline) await runBaseline(baseline.client, 4, 3, 'warm-up (baseline)');
      await runE2e(ctx, 2, 3, 'warm-up (end to end)');
      // A JVM compiles its hot paths after thousands of calls: a longer warm-up, so the levels see it warm.
      if (peer) await peer.run(8, 60, `warm-up (${peer.name})`);
      sampler.takeWindow();
      for (const concurrency of options.levels) {
        const level: LevelResult = { concurrency, resources: {} };
        if (baseline) {
          level.baseline = await runBaseline(baseline.client, concurrency, options.baselineSeconds);
          level.resources.baseline = sampler.takeWindow();
        }
        if (peer) {
          level.peer = await peer.run(concurrency, options.e2eSeconds);
          level.resources.peer = sampler.takeWindow();
        }
        assertAlive(stack);
        level.e2e = await runE2e(ctx, concurrency, options.e2eSeconds);
        level.resources.e2e = sampler.takeWindow();
        assertAlive(stack);
        if (level.baseline && level.e2e)
          level.ratio = Math.round((level.e2e.actionsPerSecond / level.baseline.actionsPerSecond) * 100) / 100;
        for (const [run, w] of Object.entries(level.resources)) {
          const other = otherShare(w, machine.cores);
          if (other !== undefined && other > 0.1)
            log(
              `note: processes outside the stack used ${Math.round(other * 100)}% of the CPU during the ${run} run at c=${concurrency}; its figures understate the service`,
            );
        }
        levels.push(level);
        if (level.e2e.subjectsLeft === 0) log(`subject pool exhausted at concurrency ${concurrency}`);
      }
    } else if (baseline) {
      await runBaseline(baseline.client, 4, 3, 'warm-up (baseline)');
      sampler.takeWindow();
      for (const concurrency of options.levels) {
        const b = await runBaseline(baseline.client, concurrency, options.baselineSeconds);
        levels.push({ concurrency, baseline: b, resources: { baseline: sampler.takeWindow() } });
      }
    }

    if (!options.skipScale) {
      progress.start('preparing the district', 1, `${options.streets} synthetic streets`);
      const org = await prepareHistoryOrg(pool, options.streets);
      progress.stop(`${org.communities.length} communities`);
      let loaded = 0;
      for (const target of options.scale) {
        const count = target - loaded;
        progress.start(`bulk-loading to ${target.toLocaleString('en')}`, count);
        const load = await bulkLoad(pool, org, count, { openShare: options.openShare, years: options.years, seed: target }, (done) =>
          progress.update(done, `${done.toLocaleString('en')} cases`),
        );
        progress.stop(`${load.cases.toLocaleString('en')} cases, ${load.events.toLocaleString('en')} events in ${load.seconds} s`);
        if (load.anomalies) log(`loader: ${load.anomalies} case(s) stopped early: ${load.anomalySamples.join('; ')}`);
        loaded = target;
        progress.start('VACUUM ANALYZE', 1);
        await pool.query('VACUUM (ANALYZE) "Case", "CaseEvent", "CaseAssignee", "CaseParticipant"');
        progress.stop();
        sampler.takeWindow();
        assertAlive(stack);
        const reads = await measureScale(api, pool, options.samples, `reads at ${target.toLocaleString('en')}`);
        assertAlive(stack);
        scale.push({ load, reads, resources: sampler.takeWindow() });
      }
    }
  } catch (err) {
    failure = err instanceof Error ? err : new Error(String(err));
  }

  sampler.stop();
  const peakMemory = sampler.peaks();
  api.close();
  await baseline?.close();
  await pool.end();
  const logFiles = [stack.info.workerLog, stack.info.apiLog, stack.info['baseline-workerLog'], peer?.logFile].filter((f): f is string =>
    Boolean(f),
  );
  const logs = scanLogs(logFiles);
  if (logs.samples.length) log(`log lines at error level:\n  ${logs.samples.join('\n  ')}`);
  const versions = JSON.parse(stack.info.versions ?? '{}') as Record<string, string>;
  const stackInfo = Object.fromEntries(Object.entries(stack.info).filter(([k]) => !k.endsWith('Log') && k !== 'versions'));
  progress.start('stopping the stack', 1);
  await peer?.stop();
  await stack.stop();
  progress.stop();
  if (failure) throw failure;

  const at32 = levels.find((l) => l.concurrency === 32);
  const largest = scale[scale.length - 1];
  const goalRoutes = largest?.reads.routes.filter((r) => r.goal) ?? [];
  const slowest = [...goalRoutes].sort((a, b) => b.latency.p95 - a.latency.p95)[0];
  const errors =
    levels.reduce((s, l) => s + (l.baseline?.errors ?? 0) + (l.peer?.errors ?? 0) + (l.e2e?.errors ?? 0), 0) +
    scale.reduce((s, x) => s + x.reads.errors, 0) +
    logs.errors;
  const results: BenchResults = {
    date: started.toISOString(),
    command,
    durationSeconds: Math.round((performance.now() - t0) / 1000),
    machine,
    versions,
    git: git(),
    stack: stackInfo,
    options,
    levels,
    scale,
    peakMemory,
    logs,
    errors,
    goals: {
      ratioAt32: at32?.ratio,
      ratioGoalMet: at32?.ratio === undefined ? undefined : at32.ratio >= 0.5,
      p95Under50msAtLargest: largest ? goalRoutes.every((r) => r.latency.p95 < 50) : undefined,
      slowestGoalRoute: slowest ? `${slowest.route} as ${slowest.caller}, p95 ${slowest.latency.p95} ms` : undefined,
    },
    peer: peer && { name: peer.name, title: peer.title, info: peer.info },
  };
  const files = writeResults(results, path.resolve(PROJECT_ROOT, options.out));
  process.stdout.write(`\n${markdown(results)}\n`);
  log(`results: ${path.relative(process.cwd(), files.json)}, ${path.relative(process.cwd(), files.md)} (and latest.*)`);
  for (const l of levels)
    for (const s of [...(l.baseline?.errorSamples ?? []), ...(l.peer?.errorSamples ?? []), ...(l.e2e?.errorSamples ?? [])])
      log(`error (c=${l.concurrency}): ${s}`);
  for (const l of levels)
    for (const s of [...(l.peer?.backPressureSamples ?? []), ...(l.e2e?.backPressureSamples ?? [])])
      log(`503 with Retry-After, back-pressure (c=${l.concurrency}): ${s}`);
  for (const s of scale) for (const e of s.reads.errorSamples) log(`error (reads at ${s.reads.cases}): ${e}`);
  process.exitCode = errors ? 1 : 0;
}

main().catch((err) => {
  progress.log(`benchmark failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  process.exitCode = 1;
});
