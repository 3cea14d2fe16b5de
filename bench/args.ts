import path from 'node:path';
import { parseArgs } from 'node:util';
import { PEERS, type PeerName } from './peers/names';

/** Flags of `npm run bench -- …`. The defaults fit in 15 minutes on a 2-core machine. */
export interface BenchOptions {
  /** Concurrency levels, run in order; the baseline and the end-to-end run share each level. */
  levels: number[];
  /** Seconds of load per level for the end-to-end run (new cases start until then; started ones finish). */
  e2eSeconds: number;
  /** Seconds of load per level for the Temporal baseline. */
  baselineSeconds: number;
  /** Total bulk-loaded case counts at which the read routes are measured, in increasing order. */
  scale: number[];
  /** Timed requests per read route and scale step (after warm-up). */
  samples: number;
  /** Share of bulk-loaded cases still open (the rest are completed, rejected or withdrawn). */
  openShare: number;
  /** Years of history the bulk-loaded cases are spread over. */
  years: number;
  /** Synthetic streets added to the demo district for the bulk load (each with 8 communities). */
  streets: number;
  skipBaseline: boolean;
  skipE2e: boolean;
  skipScale: boolean;
  /** Temporal dev server in memory instead of a SQLite file (npm start uses a file). */
  temporalMemory: boolean;
  /** LOG_LEVEL of the worker and API processes (npm start: info). */
  logLevel: string;
  /** DATABASE_POOL_SIZE of the worker and API processes (unset: the service default). */
  poolSize?: number;
  /** Where the JSON and Markdown results go. */
  out: string;
  /** Keep the throwaway data folder (PostgreSQL, Temporal, logs) for inspection. */
  keep: boolean;
  /** Folder for V8 CPU profiles of the worker and API processes (written when they stop). */
  cpuProfile?: string;
  /** A peer measured beside the service at each level (bench/peers/). */
  peer?: PeerName;
}

const HELP = `npm run bench -- [flags]

  --levels 1,8,32,64        concurrency levels (baseline and end to end)
  --e2e-seconds 20          load per level, end to end
  --baseline-seconds 10     load per level, Temporal baseline
  --scale 10000,100000      bulk-loaded cases at which the read routes are measured
  --samples 40              timed requests per read route and scale step
  --open-share 0.05         share of bulk-loaded cases still open
  --years 5                 years the bulk-loaded history spans
  --streets 11              synthetic streets (8 communities each) added for the bulk load
  --skip-baseline --skip-e2e --skip-scale
  --temporal-memory         in-memory Temporal dev server (default: SQLite file, as npm start)
  --log-level info          LOG_LEVEL of worker and API (default info, as npm start)
  --pool-size N             DATABASE_POOL_SIZE of worker and API (default: the service default, 10)
  --out bench/results       results folder
  --keep                    keep the throwaway data folder
  --cpu-profile DIR         write V8 CPU profiles (.cpuprofile) of the worker and API processes to DIR
  --peer flowable           also measure a peer end to end at each level (Flowable 7.1 REST; needs Java 17
                            and Maven; the first run resolves its jars from Maven Central)

  Longer runs: --e2e-seconds 60 --baseline-seconds 30 --levels 1,8,32,64,128 --scale 10000,100000,1000000
  Uses TEMPORAL_ADDRESS and DATABASE_URL when set (the database must be a throwaway one: the bench adds rows).`;

export function parseOptions(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      levels: { type: 'string', default: '1,8,32,64' },
      'e2e-seconds': { type: 'string', default: '20' },
      'baseline-seconds': { type: 'string', default: '10' },
      scale: { type: 'string', default: '10000,100000' },
      samples: { type: 'string', default: '40' },
      'open-share': { type: 'string', default: '0.05' },
      years: { type: 'string', default: '5' },
      streets: { type: 'string', default: '11' },
      'skip-baseline': { type: 'boolean', default: false },
      'skip-e2e': { type: 'boolean', default: false },
      'skip-scale': { type: 'boolean', default: false },
      'temporal-memory': { type: 'boolean', default: false },
      'log-level': { type: 'string', default: 'info' },
      'pool-size': { type: 'string' },
      out: { type: 'string', default: 'bench/results' },
      keep: { type: 'boolean', default: false },
      'cpu-profile': { type: 'string' },
      peer: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(HELP);
    process.exit(0);
  }
  const numbers = (s: string, name: string) => {
    const list = s.split(',').map((v) => Number(v.trim()));
    if (!list.length || list.some((n) => !Number.isInteger(n) || n <= 0))
      throw new Error(`--${name}: expected positive integers, got "${s}"`);
    return list;
  };
  const positive = (s: string, name: string) => {
    const n = Number(s);
    if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name}: expected a positive number, got "${s}"`);
    return n;
  };
  const peer = values.peer as PeerName | undefined;
  if (peer !== undefined && !PEERS.includes(peer)) throw new Error(`--peer: expected one of ${PEERS.join(', ')}, got "${peer}"`);
  if (peer && values['skip-e2e']) throw new Error('--peer is measured in the end-to-end run; drop --skip-e2e');
  const openShare = Number(values['open-share']);
  if (!(openShare >= 0 && openShare <= 1)) throw new Error('--open-share: expected 0…1');
  return {
    levels: numbers(values.levels, 'levels'),
    e2eSeconds: positive(values['e2e-seconds'], 'e2e-seconds'),
    baselineSeconds: positive(values['baseline-seconds'], 'baseline-seconds'),
    scale: numbers(values.scale, 'scale').sort((a, b) => a - b),
    samples: Math.round(positive(values.samples, 'samples')),
    openShare,
    years: positive(values.years, 'years'),
    streets: Math.round(Number(values.streets)),
    skipBaseline: values['skip-baseline'],
    skipE2e: values['skip-e2e'],
    skipScale: values['skip-scale'],
    temporalMemory: values['temporal-memory'],
    logLevel: values['log-level'],
    poolSize: values['pool-size'] ? Math.round(positive(values['pool-size'], 'pool-size')) : undefined,
    out: values.out,
    keep: values.keep,
    cpuProfile: values['cpu-profile'] ? path.resolve(values['cpu-profile']) : undefined,
    peer,
  };
}
