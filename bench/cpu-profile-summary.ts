import fs from 'node:fs';
import { parseArgs } from 'node:util';

/**
 * `npx tsx bench/cpu-profile-summary.ts <file.cpuprofile> --actions N [--from s] [--to s] [--bundle file] [--top 25]`:
 * where a V8 CPU profile written by `npm run bench -- --cpu-profile DIR` spent its time, per action, within a window
 * of the profile (seconds from its start; the busy-per-5-s line shows where the load ran). Time is sampled wall time
 * of the thread while not idle: on a loaded machine it includes time the thread waited for a core, so compare
 * shares and profiles of one run, or of two runs on equally loaded machines, not absolute figures.
 *
 * Tags count a sample once whatever else it is in: the SDK's promise hook (a stack trace per promise made in a
 * workflow), module evaluation (`__webpack_require__` on the stack: the workflow bundle's module scope, which the
 * SDK's reusable context runs again for every workflow it loads) and the payload codec. With `--bundle` (the same
 * workflow bundle, e.g. from `bundleWorkflowCode` over the same sources) each sample in the bundle is also charged
 * to the innermost module of the bundle it is in, read from webpack's module headers.
 */

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    actions: { type: 'string' },
    from: { type: 'string', default: '0' },
    to: { type: 'string', default: 'Infinity' },
    bundle: { type: 'string' },
    top: { type: 'string', default: '25' },
  },
});
const file = positionals[0];
if (!file || !values.actions) {
  console.error('usage: cpu-profile-summary.ts <file.cpuprofile> --actions N [--from s] [--to s] [--bundle file] [--top 25]');
  process.exit(2);
}
const actions = Number(values.actions);
const from = Number(values.from);
const to = Number(values.to);
const top = Number(values.top);

const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as Profile;
const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

// Webpack's development bundle starts each module with a line /***/ "<path>".
const headers: [number, string][] = [];
if (values.bundle) {
  fs.readFileSync(values.bundle, 'utf8')
    .split('\n')
    .forEach((line, i) => {
      const m = /^\/\*\*\*\/ "(.*)"/.exec(line);
      if (m?.[1]) headers.push([i, m[1].replace('./node_modules/', '')]);
    });
}
function moduleAt(line: number): string {
  let lo = 0;
  let hi = headers.length - 1;
  let found = '(bundle head)';
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const [start, name] = headers[mid] as [number, string];
    if (start <= line) {
      found = name;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

const shortUrl = (url: string) =>
  url.includes('workflow-bundle')
    ? '(workflow bundle)'
    : url.includes('node_modules/')
      ? url
          .replace(/.*node_modules\//, '')
          .split('/')
          .slice(0, url.includes('node_modules/@') ? 2 : 1)
          .join('/')
      : url.replace(/^file:\/\/.*?\/(?=(activities|api|app|domain|infra|services|store|workflows)\/)/, '');
const tags = new Map<string, number>();
const byPlace = new Map<string, number>();
const byModule = new Map<string, number>();
const buckets: number[] = [];
const add = (m: Map<string, number>, k: string, d: number) => m.set(k, (m.get(k) ?? 0) + d);
let busy = 0;
let t = profile.startTime;
for (let i = 0; i < profile.samples.length; i++) {
  t += profile.timeDeltas[i] ?? 0;
  const at = (t - profile.startTime) / 1e6;
  const d = profile.timeDeltas[i + 1] ?? 0;
  const leaf = nodes.get(profile.samples[i] as number) as ProfileNode;
  if (leaf.callFrame.functionName === '(idle)') continue;
  buckets[Math.floor(at / 5)] = (buckets[Math.floor(at / 5)] ?? 0) + d;
  if (at < from || at > to) continue;
  busy += d;
  const stack: CallFrame[] = [];
  for (let id: number | undefined = leaf.id; id !== undefined; id = parent.get(id)) stack.push((nodes.get(id) as ProfileNode).callFrame);
  if (
    stack.some(
      (f) => /^promise(Init|Before|After|Resolve)Hook$/.test(f.functionName) || (f.url.includes('vm-shared') && f.functionName === 'init'),
    )
  )
    add(tags, 'promise hook (SDK stack trace per workflow promise)', d);
  if (stack.some((f) => f.functionName === '__webpack_require__')) add(tags, 'module evaluation (workflow bundle module scope)', d);
  if (stack.some((f) => f.url.includes('payload-codec'))) add(tags, 'payload codec', d);
  add(byPlace, (leaf.callFrame.url ? shortUrl(leaf.callFrame.url) : leaf.callFrame.functionName || '(native)').slice(0, 100), d);
  const inBundle = stack.find((f) => f.url.includes('workflow-bundle'));
  if (values.bundle && inBundle) add(byModule, moduleAt(inBundle.lineNumber), d);
}

const ms = (us: number) =>
  `${(us / 1000).toFixed(0).padStart(7)} ms ${(us / 1000 / actions).toFixed(2).padStart(7)} ms/action ${((100 * us) / busy).toFixed(1).padStart(5)} %`;
console.log(`${file}\nbusy per 5 s from the start: ${buckets.map((v, i) => `${i * 5}:${((v ?? 0) / 1e6).toFixed(1)}`).join(' ')}`);
console.log(
  `window ${from}–${to} s: busy ${(busy / 1e6).toFixed(2)} s, ${(busy / 1000 / actions).toFixed(1)} ms per action (${actions} actions)`,
);
for (const [k, v] of tags) console.log(`${ms(v)}  ${k}`);
console.log('-- self time by file or package');
for (const [k, v] of [...byPlace].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${ms(v)}  ${k}`);
if (values.bundle) {
  console.log('-- by workflow-bundle module (innermost)');
  for (const [k, v] of [...byModule].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${ms(v)}  ${k}`);
}
