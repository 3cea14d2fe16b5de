import fs from 'node:fs';
import path from 'node:path';
import { PEER_PROCESSES, threeColumns } from './peers/report';
import { ms, num, type BenchResults } from './results';
import type { ResourceWindow } from './stack';

const STACK = ['api', 'worker', 'temporal', 'postgres', 'baseline-worker', 'bench'];

/** CPU seconds used outside the stack during a window, as a share of the machine's capacity. */
export function otherShare(w: ResourceWindow | undefined, cores: number): number | undefined {
  if (!w || w.cpu.machine === undefined || !w.seconds) return undefined;
  const ours = [...STACK, ...PEER_PROCESSES].reduce((s, k) => s + (w.cpu[k] ?? 0), 0);
  return Math.max(0, w.cpu.machine - ours) / (w.seconds * cores);
}
const pct = (v: number | undefined) => (v === undefined ? '–' : `${Math.round(v * 100)}%`);

export function markdown(r: BenchResults): string {
  const out: string[] = [];
  out.push(`# Benchmark results, ${r.date.slice(0, 10)}`, '');
  out.push(`- **Command:** \`${r.command}\` (${Math.round(r.durationSeconds)} s)`);
  out.push(
    `- **Machine:** ${r.machine.cpu}, ${r.machine.cores} cores, ${r.machine.memoryGiB} GiB, ${r.machine.os}; load average at start ${r.machine.loadAverageAtStart.map((v) => v.toFixed(2)).join(' ')}`,
  );
  out.push(
    `- **Versions:** ${Object.entries(r.versions)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
  );
  out.push(`- **Code:** ${r.git.commit}${r.git.dirty ? ' with uncommitted changes' : ''}`);
  out.push(
    `- **Stack:** PostgreSQL ${r.stack.postgres}; Temporal ${r.stack.temporal}; worker and API as separate processes (${r.stack.workerEnv}); load generator, API, worker, Temporal and PostgreSQL share the machine.`,
  );
  out.push('');

  if (r.peer) out.push(...threeColumns(r, r.peer));
  if (r.levels.length) {
    out.push('## Throughput: end to end against the same-run Temporal baseline', '');
    out.push(
      '| Concurrency | Baseline actions/s | End-to-end actions/s | Ratio | Cases/s (completed) | Cases | Errors | 503 with Retry-After | Other processes (baseline / e2e) |',
    );
    out.push('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
    for (const l of r.levels) {
      const errors = (l.baseline?.errors ?? 0) + (l.e2e?.errors ?? 0);
      const other = `${pct(otherShare(l.resources.baseline, r.machine.cores))} / ${pct(otherShare(l.resources.e2e, r.machine.cores))}`;
      out.push(
        `| ${l.concurrency} | ${num(l.baseline?.actionsPerSecond)} | ${num(l.e2e?.actionsPerSecond)} | ${l.ratio === undefined ? '–' : l.ratio.toFixed(2)} | ${num(l.e2e?.casesPerSecond, 2)} | ${l.e2e?.casesCompleted ?? '–'} | ${errors} | ${l.e2e?.backPressure ?? '–'} | ${other} |`,
      );
    }
    out.push('');
    out.push(
      '"503 with Retry-After": requests the API answered with designed back-pressure (its deadline passed while Temporal or the workers were behind); counted apart from errors, and the load loop that got one waited as it said.',
      '',
      '"Other processes": share of the machine\'s CPU time used by processes outside the stack and the load generator during the run; above a few percent the machine was not quiet and the figures understate the service.',
      '',
    );
    out.push('## Latency per action, p50 / p95 / p99 (ms)', '');
    out.push('| Concurrency | Baseline start | Baseline Update | Submit | Approve (community) | Approve (street) | Submit → completed |');
    out.push('| ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
    for (const l of r.levels) {
      out.push(
        `| ${l.concurrency} | ${ms(l.baseline?.latency.start)} | ${ms(l.baseline?.latency.update)} | ${ms(l.e2e?.latency.submit)} | ${ms(l.e2e?.latency.approveCommunity)} | ${ms(l.e2e?.latency.approveStreet)} | ${ms(l.e2e?.submitToCompleted)} |`,
      );
    }
    out.push('');
    out.push('## Resident memory (MiB, max during the end-to-end run of each level)', '');
    out.push('| Concurrency | Worker | API | Temporal server | PostgreSQL (PSS) | Baseline worker |');
    out.push('| ---: | ---: | ---: | ---: | ---: | ---: |');
    for (const l of r.levels) {
      const m = { ...l.resources.baseline?.memory, ...l.resources.e2e?.memory };
      out.push(
        `| ${l.concurrency} | ${m.worker ?? '–'} | ${m.api ?? '–'} | ${m.temporal ?? '–'} | ${m.postgres ?? '–'} | ${l.resources.baseline?.memory['baseline-worker'] ?? '–'} |`,
      );
    }
    out.push('');
    out.push('## CPU per action (ms of CPU time, all processes of the stack)', '');
    out.push(
      '| Concurrency | Run | API | Worker | Temporal server | PostgreSQL | Baseline worker | Load generator | Total | Machine busy (all processes) |',
    );
    out.push('| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
    for (const l of r.levels) {
      for (const [run, w, actions] of [
        ['baseline', l.resources.baseline, l.baseline?.actions],
        ['end to end', l.resources.e2e, l.e2e?.actions],
      ] as const) {
        if (!w || !actions) continue;
        const per = (k: string) => (w.cpu[k] === undefined ? '–' : ((w.cpu[k] * 1000) / actions).toFixed(1));
        const total = STACK.reduce((s, k) => s + (w.cpu[k] ?? 0), 0);
        const busy = w.cpu.machine ?? NaN;
        out.push(
          `| ${l.concurrency} | ${run} | ${per('api')} | ${per('worker')} | ${per('temporal')} | ${per('postgres')} | ${per('baseline-worker')} | ${per('bench')} | ${((total * 1000) / actions).toFixed(1)} | ${Math.round((busy / (w.seconds * r.machine.cores)) * 100)}% of ${r.machine.cores} cores (${Math.round(((busy - total) / Math.max(busy, 1e-9)) * 100)}% outside the stack) |`,
        );
      }
    }
    out.push('');
    out.push(
      `Peak (VmHWM) over the whole run: ${Object.entries(r.peakMemory)
        .map(([k, v]) => `${k} ${v} MiB`)
        .join(', ')}.`,
      '',
    );
  }

  if (r.scale.length) {
    out.push('## Read routes as cases grow, p50 / p95 (ms)', '');
    const header = r.scale.map((s) => `${s.reads.cases.toLocaleString('en')} cases`);
    out.push(`| Route | Caller | ${header.join(' | ')} | Rows (largest) |`);
    out.push(`| --- | --- | ${header.map(() => '---:').join(' | ')} | ---: |`);
    const first = r.scale[0] as BenchResults['scale'][number];
    for (const [i, route] of first.reads.routes.entries()) {
      const cells = r.scale.map((s) => {
        const x = s.reads.routes[i];
        return x && x.latency.count ? `${x.latency.p50} / ${x.latency.p95}` : '–';
      });
      const last = r.scale[r.scale.length - 1]?.reads.routes[i];
      out.push(`| ${route.route}${route.goal ? ' ★' : ''} | ${route.caller} | ${cells.join(' | ')} | ${last?.rows ?? '–'} |`);
    }
    out.push(
      `| GET /audit/verify (whole chain, seconds) | auditor-1 | ${r.scale.map((s) => `${s.reads.verify.seconds} s (${s.reads.verify.checked.toLocaleString('en')} events${s.reads.verify.ok ? ', ok' : ', NOT OK'})`).join(' | ')} | |`,
    );
    out.push('');
    out.push('★ routes the goal (p95 < 50 ms at 100,000 cases) applies to.', '');
    out.push('### Bulk load', '');
    out.push('| Cases added | Events | Seconds (generate + insert) | Cases/s | Events/s | Status mix |');
    out.push('| ---: | ---: | ---: | ---: | ---: | --- |');
    for (const s of r.scale) {
      const l = s.load;
      out.push(
        `| ${l.cases.toLocaleString('en')} | ${l.events.toLocaleString('en')} | ${l.seconds} (${l.generateSeconds} + ${l.insertSeconds}) | ${Math.round(l.cases / l.seconds)} | ${Math.round(l.events / l.seconds)} | ${Object.entries(
          l.statuses,
        )
          .map(([k, v]) => `${k} ${v}`)
          .join(', ')} |`,
      );
    }
    out.push('');
  }

  out.push('## Goals', '');
  if (r.goals.ratioAt32 !== undefined)
    out.push(`- End-to-end / baseline actions/s at concurrency 32: **${r.goals.ratioAt32.toFixed(2)}** (required ≥ 0.5, goal 0.8).`);
  if (r.goals.p95Under50msAtLargest !== undefined) {
    out.push(
      `- p95 of GET /inbox and filtered GET /cases at the largest scale under 50 ms: **${r.goals.p95Under50msAtLargest ? 'yes' : 'no'}** (slowest: ${r.goals.slowestGoalRoute}).`,
    );
  }
  out.push(
    `- Errors: **${r.errors}** (requests that failed or answered unexpectedly, cases that did not complete, broken chains, error lines in the worker and API logs: ${r.logs.errors}).`,
  );
  out.push('');
  out.push('## What the figures mean', '');
  out.push(
    '- **Action**: one mutating call. End to end: an HTTP request with a bearer token (submit, or an approval), answered after the workflow has recorded it in PostgreSQL. Baseline: one raw Temporal SDK call from the same client machine (start a minimal workflow, or the Update that completes it), no HTTP, no database.',
    '- **Actions/s**: actions answered ÷ seconds from the first request to the last answer, all loops together. **Ratio** = end-to-end actions/s ÷ baseline actions/s at the same concurrency, measured minutes apart in this run.',
    '- **Cases/s**: promotions that reached `completed` ÷ seconds from the first submit to the last completion. Each case is 3 actions (submit, community approval, street approval) and then a 3-second public notice (demo rule set) after which the workflow applies the outcome (raises the grade) by itself; the loops do not wait for the notice, so notices overlap with new work. **Submit → completed** includes those 3 seconds.',
    "- Behind each end-to-end action the workflow runs local activities within one workflow task: the submit resolves the first stage's assignees and records the events; the community approval opens the street stage (assignees, calendar and the eligibility re-check in one activity) and records the events; the street approval records the notice. Completion records the decision, applies the outcome in one transaction and records it. Each local activity is one or more PostgreSQL statements in the worker, without a round trip through the Temporal server.",
    '- **Read routes**: single requests one after another on an otherwise idle service (3 warm-ups, then the samples), timed at the client. Bulk-loaded cases are produced by the real engine (valid hash chains, real states), spread over the configured years, ~5% still open, in a district of 13 streets and 92 communities; `VACUUM ANALYZE` runs after each load, as autovacuum would in a database that grew over years.',
    '- Memory: VmRSS from /proc, max of one-second samples during each level; PostgreSQL as the PSS of the server and its backends.',
  );
  out.push('');
  return out.join('\n');
}

export function writeResults(r: BenchResults, dir: string): { json: string; md: string } {
  fs.mkdirSync(dir, { recursive: true });
  const stamp = r.date.replace(/[:.]/g, '-').slice(0, 19);
  const json = path.join(dir, `bench-${stamp}.json`);
  const md = path.join(dir, `bench-${stamp}.md`);
  const text = markdown(r);
  fs.writeFileSync(json, `${JSON.stringify(r, null, 2)}\n`);
  fs.writeFileSync(md, text);
  fs.writeFileSync(path.join(dir, 'latest.json'), `${JSON.stringify(r, null, 2)}\n`);
  fs.writeFileSync(path.join(dir, 'latest.md'), text);
  return { json, md };
}
