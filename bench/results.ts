import type { BenchOptions } from './args';
import type { BaselineResult } from './baseline';
import type { LoadResult } from './bulk-load';
import type { E2eResult } from './e2e';
import type { ScaleStep } from './scale';
import type { ResourceWindow } from './stack';
import type { LatencySummary } from './stats';

/** What a benchmark run measured (bench/results/*.json), and how its figures are printed in the report. */

export interface LevelResult {
  concurrency: number;
  baseline?: BaselineResult;
  e2e?: E2eResult;
  /** The same end-to-end loops against the peer (`--peer`), between the baseline and the service. */
  peer?: E2eResult;
  /** End-to-end actions/s divided by baseline actions/s, same run, same concurrency. */
  ratio?: number;
  /** Memory (max RSS, MiB; postgres as PSS) and CPU seconds per process during each run of the level. */
  resources: { baseline?: ResourceWindow; e2e?: ResourceWindow; peer?: ResourceWindow };
}

export interface BenchResults {
  date: string;
  command: string;
  durationSeconds: number;
  machine: { cpu: string; cores: number; memoryGiB: number; os: string; loadAverageAtStart: number[] };
  versions: Record<string, string>;
  git: { commit: string; dirty: boolean };
  stack: Record<string, string>;
  options: BenchOptions;
  levels: LevelResult[];
  scale: { load: LoadResult; reads: ScaleStep; resources: ResourceWindow }[];
  peakMemory: Record<string, number>;
  logs: { errors: number; warnings: number; samples: string[] };
  errors: number;
  goals: { ratioAt32?: number; ratioGoalMet?: boolean; p95Under50msAtLargest?: boolean; slowestGoalRoute?: string };
  /** The peer measured beside the service (`--peer`): its name, column title and configuration. */
  peer?: { name: string; title: string; info: Record<string, string> };
}

/** p50 / p95 / p99 of a latency summary, in ms. */
export const ms = (s: LatencySummary | undefined) => (s && s.count ? `${s.p50} / ${s.p95} / ${s.p99}` : '–');
export const num = (v: number | undefined, digits = 1) => (v === undefined || Number.isNaN(v) ? '–' : v.toFixed(digits));
