import { ms, num, type BenchResults, type LevelResult } from '../results';
import type { ResourceWindow } from '../stack';

/** The peers' processes in the resource samples (not part of the service's stack). */
export const PEER_PROCESSES = ['flowable'];

const PROCESS_LABEL: Record<string, string> = {
  temporal: 'Temporal server',
  'baseline-worker': 'baseline worker',
  worker: 'worker',
  api: 'API',
  postgres: 'PostgreSQL',
  flowable: 'JVM',
  bench: 'load generator',
};

/** Each column's run in a level and the processes that do its work (the others idle meanwhile). */
const columns = (peer: string): { run: keyof LevelResult['resources']; cpu: string[]; memory: string[] }[] => [
  { run: 'baseline', cpu: ['temporal', 'baseline-worker', 'bench'], memory: ['temporal', 'baseline-worker'] },
  { run: 'peer', cpu: [peer, 'postgres', 'bench'], memory: [peer, 'postgres'] },
  { run: 'e2e', cpu: ['temporal', 'worker', 'api', 'postgres', 'bench'], memory: ['worker', 'api', 'temporal', 'postgres'] },
];

function cpuCell(w: ResourceWindow | undefined, actions: number | undefined, processes: string[]): string {
  if (!w || !actions) return '–';
  const per = (k: string) => ((w.cpu[k] ?? 0) * 1000) / actions;
  const total = processes.reduce((s, k) => s + per(k), 0);
  return `**${total.toFixed(1)}**: ${processes.map((k) => `${PROCESS_LABEL[k]} ${per(k).toFixed(1)}`).join(', ')}`;
}

function memoryCell(w: ResourceWindow | undefined, processes: string[]): string {
  if (!w) return '–';
  return processes.map((k) => `${PROCESS_LABEL[k]}${k === 'postgres' ? ' (PSS)' : ''} ${w.memory[k] ?? '–'}`).join(', ');
}

const ratio = (a: number | undefined, b: number | undefined) => (a && b ? (a / b).toFixed(2) : '–');

/** Raw Temporal, the peer and this service side by side, level by level (`npm run bench -- --peer …`). */
export function threeColumns(r: BenchResults, peer: NonNullable<BenchResults['peer']>): string[] {
  const out: string[] = [];
  const t = peer.title;
  const cols = columns(peer.name);
  out.push(`## Three columns: raw Temporal, ${t}, this service`, '');
  out.push(
    `At each level, one after the other on the same machine: the raw Temporal baseline, then ${t} and this service driven by the same end-to-end loops (same concurrency, same seconds of load; each case: start, complete the community stage, complete the street stage, then the ${peer.info.publicNotice ?? 'demo'} public notice runs out and the case ends by itself). ${t}: ${peer.info.jvm}; ${peer.info.database}. An approval on ${t} is one action of two requests (the approver's task list, to learn the task's id, then the completion).`,
    '',
  );
  out.push(
    `| Concurrency | Raw Temporal actions/s | ${t} actions/s | This service actions/s | This service ÷ raw Temporal | This service ÷ ${t} | ${t} ÷ raw Temporal | Errors (${t}) |`,
  );
  out.push('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const l of r.levels) {
    const [b, p, e] = [l.baseline?.actionsPerSecond, l.peer?.actionsPerSecond, l.e2e?.actionsPerSecond];
    out.push(
      `| ${l.concurrency} | ${num(b)} | ${num(p)} | ${num(e)} | ${ratio(e, b)} | ${ratio(e, p)} | ${ratio(p, b)} | ${l.peer?.errors ?? '–'} |`,
    );
  }
  out.push('');
  out.push('### Latency per action, p50 / p95 / p99 (ms)', '');
  out.push(
    `| Concurrency | Raw Temporal: start; Update | ${t}: all actions | This service: all actions | ${t}: start | ${t}: community | ${t}: street | ${t}: start → ended |`,
  );
  out.push('| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const l of r.levels) {
    const base = l.baseline ? `${ms(l.baseline.latency.start)}; ${ms(l.baseline.latency.update)}` : '–';
    const p = l.peer?.latency;
    out.push(
      `| ${l.concurrency} | ${base} | ${ms(p?.allActions)} | ${ms(l.e2e?.latency.allActions)} | ${ms(p?.submit)} | ${ms(p?.approveCommunity)} | ${ms(p?.approveStreet)} | ${ms(l.peer?.submitToCompleted)} |`,
    );
  }
  out.push('');
  out.push('### CPU per action (ms of CPU time), by process', '');
  out.push(`Each column counts only the processes that do its work; the others idle meanwhile (their CPU is in the full table below).`, '');
  out.push(`| Concurrency | Raw Temporal | ${t} | This service |`);
  out.push('| ---: | --- | --- | --- |');
  const actionsOf = (l: LevelResult, run: keyof LevelResult['resources']) =>
    run === 'baseline' ? l.baseline?.actions : run === 'peer' ? l.peer?.actions : l.e2e?.actions;
  for (const l of r.levels) {
    out.push(`| ${l.concurrency} | ${cols.map((c) => cpuCell(l.resources[c.run], actionsOf(l, c.run), c.cpu)).join(' | ')} |`);
  }
  out.push('');
  out.push('### Resident memory (MiB, max during each run)', '');
  out.push(`| Concurrency | Raw Temporal | ${t} | This service |`);
  out.push('| ---: | --- | --- | --- |');
  for (const l of r.levels) out.push(`| ${l.concurrency} | ${cols.map((c) => memoryCell(l.resources[c.run], c.memory)).join(' | ')} |`);
  out.push('');
  out.push(
    `Peak (VmHWM) over the whole run: ${t} JVM ${r.peakMemory[peer.name] ?? '–'} MiB, worker ${r.peakMemory.worker ?? '–'} MiB, API ${r.peakMemory.api ?? '–'} MiB, baseline worker ${r.peakMemory['baseline-worker'] ?? '–'} MiB.`,
    '',
  );
  out.push(`${t} settings: ${peer.info.properties ?? '–'}.`, '');
  return out;
}
