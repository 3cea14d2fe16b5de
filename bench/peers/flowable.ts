import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Pool } from 'pg';
import { demo } from '../../domain/rules/demo';
import { PROJECT_ROOT } from '../../infra/config';
import { ensureDatabase } from '../../infra/migrate';
import { freePort, killWithThisProcess, stopChild } from '../../infra/processes';
import type { BenchOptions } from '../args';
import { pick, runCases, type CaseDriver, type CaseRun } from '../e2e';
import { ApiClient } from '../http';
import type { Stack } from '../stack';
import { SEED_COMMUNITIES, type Subject } from '../subjects';
import type { Peer } from './types';

/**
 * The Flowable peer (`npm run bench -- --peer flowable`): Flowable 7.1's process engine and REST API in a
 * Spring Boot jar (bench/peers/flowable/, built with Maven on first use), on a database of its own on the
 * bench's PostgreSQL, with the promotion as a BPMN process of the same shape as the service's under
 * RULE_SET=demo. Each case, driven by the same loops as the service's end-to-end run:
 *   1. start     POST /process-api/runtime/process-instances as clerk-<community>
 *   2. complete  as sec-/dep-<community>: GET /process-api/runtime/tasks?processInstanceId=…&candidateUser=me
 *                (the approver's task list: Flowable's REST API names the task by its own id, which only a
 *                query gives), then POST /process-api/runtime/tasks/<id> {action: complete}
 *   3. complete  the same as dgw-<street>-n
 * — then the public notice's timer runs out and the process ends. Every request authenticates with HTTP
 * Basic as that user. An approval is one action of two requests; its latency is the two together.
 * Completion is read from Flowable's history table (ACT_HI_PROCINST.END_TIME_).
 */

const PROJECT = path.join(PROJECT_ROOT, 'bench', 'peers', 'flowable');
const JAR = path.join(PROJECT, 'target', 'flowable-peer.jar');
const DATABASE = 'flowable_peer';
const PROCESS = 'promotion';

/**
 * A 512 MiB heap cap, as a service of this size is usually given; G1 (what Java 17 picks on this machine
 * anyway); UTC so the engine's timestamps without time zone read as UTC.
 */
const JVM_FLAGS = ['-Xmx512m', '-XX:+UseG1GC', '-XX:+ExitOnOutOfMemoryError', '-Duser.timezone=UTC', '-Dfile.encoding=UTF-8'];

const communityApprovers = (community: string) => [`sec-${community}`, `dep-${community}`];
const streetApprovers = (street: string) => [1, 2, 3].map((i) => `dgw-${street}-${i}`);

/** The seed's users, with the Flowable groups the process's candidate groups name. */
function benchUsers(): Record<string, string[]> {
  const users: Record<string, string[]> = {};
  for (const { community, street } of SEED_COMMUNITIES) {
    users[`clerk-${community}`] = [`clerks-${community}`];
    for (const u of communityApprovers(community)) users[u] = [`community-${community}`];
    for (const u of streetApprovers(street)) users[u] = [`street-${street}`];
  }
  return users;
}

/** The demo rule set's promotion notice as the ISO 8601 duration the BPMN timer takes. */
function noticeDuration(): string {
  const period = demo.periods['promotion.notice'];
  if (!period || !('seconds' in period)) throw new Error(`the demo promotion notice is not a number of seconds: ${JSON.stringify(period)}`);
  return `PT${period.seconds}S`;
}

function pomVersions(): Record<string, string> {
  const pom = fs.readFileSync(path.join(PROJECT, 'pom.xml'), 'utf8');
  const parent = /<parent>[\s\S]*?<version>([^<]+)<\/version>/.exec(pom)?.[1] ?? 'unknown';
  const flowable = /<flowable\.version>([^<]+)</.exec(pom)?.[1] ?? 'unknown';
  return { Flowable: flowable, 'Spring Boot': parent };
}

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(file) : fs.statSync(file).mtimeMs);
  }
  return newest;
}

/**
 * Builds the jar when it is missing or older than its sources: offline from the local Maven repository,
 * or, the first time, resolving the dependencies from Maven Central.
 */
function build(log: (line: string) => void) {
  const sources = Math.max(newestSource(path.join(PROJECT, 'src')), fs.statSync(path.join(PROJECT, 'pom.xml')).mtimeMs);
  if (fs.existsSync(JAR) && fs.statSync(JAR).mtimeMs >= sources) return;
  const mvn = (args: string[]) => spawnSync('mvn', ['-q', ...args, '-DskipTests', 'package'], { cwd: PROJECT, encoding: 'utf8' });
  let result = mvn(['-o']);
  if (result.error) throw new Error(`--peer flowable needs Maven (mvn) and Java 17: ${result.error.message}`);
  if (result.status !== 0) {
    log('flowable peer: resolving its Maven dependencies from Maven Central (first build)');
    result = mvn([]);
  }
  if (result.status !== 0)
    throw new Error(`building ${path.relative(PROJECT_ROOT, PROJECT)} failed:\n${`${result.stdout}${result.stderr}`.slice(-3000)}`);
}

function javaVersion(): string {
  const r = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (r.error) throw new Error(`--peer flowable needs Java 17 (java): ${r.error.message}`);
  return (r.stderr || r.stdout).trim().split('\n')[0] ?? 'unknown';
}

export async function startFlowable(stack: Stack, _options: BenchOptions, log: (line: string) => void): Promise<Peer> {
  const java = javaVersion();
  build(log);
  const dbUrl = new URL(stack.databaseUrl);
  dbUrl.pathname = `/${DATABASE}`;
  dbUrl.search = '';
  await ensureDatabase(dbUrl.toString());
  const pool = new Pool({ connectionString: dbUrl.toString(), max: 2 });

  const port = await freePort();
  const password = randomBytes(18).toString('base64url');
  const logFile = path.join(stack.dir, 'flowable.log');
  const out = fs.openSync(logFile, 'a');
  const child = spawn('java', [...JVM_FLAGS, '-jar', JAR], {
    cwd: PROJECT,
    env: {
      ...process.env,
      SERVER_PORT: String(port),
      SERVER_ADDRESS: '127.0.0.1',
      SPRING_DATASOURCE_URL: `jdbc:postgresql://${dbUrl.hostname}:${dbUrl.port || 5432}/${DATABASE}`,
      SPRING_DATASOURCE_USERNAME: decodeURIComponent(dbUrl.username),
      SPRING_DATASOURCE_PASSWORD: decodeURIComponent(dbUrl.password),
      BENCH_USERS: JSON.stringify(benchUsers()),
      BENCH_PASSWORD: password,
    },
    stdio: ['ignore', out, out],
  });
  fs.closeSync(out);
  killWithThisProcess(child);
  let stopping = false;
  child.once('exit', (code, signal) => {
    if (!stopping) console.error(`\nflowable exited unexpectedly (${code ?? signal}); see ${logFile}`);
  });
  const stop = async () => {
    stopping = true;
    await stopChild(child, 20_000);
    await pool.end();
  };

  const api = new ApiClient(
    `http://127.0.0.1:${port}`,
    async (userId) => `Basic ${Buffer.from(`${userId}:${password}`).toString('base64')}`,
    '/process-api',
  );
  try {
    // Ready once the users are in and the process is deployed; a JVM on two shared cores takes a while.
    const deadline = Date.now() + 300_000;
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null)
        throw new Error(`flowable exited during start-up:\n${fs.readFileSync(logFile, 'utf8').slice(-3000)}`);
      const res = await api
        .request('GET', `/repository/process-definitions?key=${PROCESS}`, `clerk-${SEED_COMMUNITIES[0].community}`)
        .catch(() => undefined);
      if (res?.status === 200 && res.body?.data?.length) break;
      if (Date.now() > deadline)
        throw new Error(`flowable did not become ready within 300 s:\n${fs.readFileSync(logFile, 'utf8').slice(-3000)}`);
      await new Promise((r) => setTimeout(r, 500));
    }
  } catch (err) {
    api.close();
    await stop();
    throw err;
  }

  const notice = noticeDuration();
  /** The approver's task of `key` in process `id`, completed; the action's latency, or what went wrong. */
  const complete = async (run: CaseRun, id: string, key: string, user: string, opinion: string): Promise<number | undefined> => {
    const list = await api.request('GET', `/runtime/tasks?processInstanceId=${id}&candidateUser=${encodeURIComponent(user)}`, user);
    if (!run.expect(list, 200, `task list of ${user} for ${id}`)) return undefined;
    const task = list.body?.data?.[0] as { id: string; taskDefinitionKey: string } | undefined;
    if (!task || task.taskDefinitionKey !== key) {
      run.fail(
        `process ${id}: ${key} is not open for ${user} (${JSON.stringify(list.body?.data?.map((t: { taskDefinitionKey: string }) => t.taskDefinitionKey))})`,
      );
      return undefined;
    }
    const done = await api.request('POST', `/runtime/tasks/${task.id}`, user, {
      action: 'complete',
      variables: [{ name: `${key}Opinion`, type: 'string', value: opinion }],
    });
    if (!run.expect(done, 200, `complete ${key} ${id}`)) return undefined;
    return list.ms + done.ms;
  };
  const driver: CaseDriver = {
    async drive(subject, run) {
      const submitAt = Date.now();
      const started = await api.request('POST', '/runtime/process-instances', `clerk-${subject.community}`, {
        processDefinitionKey: PROCESS,
        businessKey: subject.id,
        variables: [
          { name: 'subject', type: 'string', value: subject.id },
          { name: 'community', type: 'string', value: subject.community },
          { name: 'street', type: 'string', value: subject.street },
          { name: 'publicNotice', type: 'string', value: notice },
        ],
      });
      if (!run.expect(started, 201, `start ${subject.id}`)) return false;
      run.submit.push(started.ms);
      const id = started.body.id as string;
      run.started(id, submitAt);
      const a1 = await complete(
        run,
        id,
        'communityRecommendation',
        pick(communityApprovers(subject.community), subject.community) as string,
        '同意推荐',
      );
      if (a1 === undefined) return false;
      run.approveCommunity.push(a1);
      const a2 = await complete(run, id, 'streetDecision', pick(streetApprovers(subject.street), subject.street) as string, '同意晋升');
      if (a2 === undefined) return false;
      run.approveStreet.push(a2);
      return true;
    },
    async ended(ids) {
      const { rows } = await pool.query<{ id: string; at: number; endActivity: string | null; reason: string | null }>(
        `SELECT id_ AS id, extract(epoch FROM end_time_)::float8 * 1000 AS at, end_act_id_ AS "endActivity", delete_reason_ AS reason
           FROM act_hi_procinst WHERE id_ = ANY($1::text[]) AND end_time_ IS NOT NULL`,
        [ids],
      );
      return rows.map((r) => ({
        id: r.id,
        at: r.at,
        status: r.endActivity === 'completed' ? 'completed' : `${r.endActivity ?? 'unknown'} (${r.reason ?? 'no reason'})`,
      }));
    },
  };

  let serial = 0;
  /** Fresh case subjects (the peer checks no eligibility, so any id will do), spread over the seed's communities. */
  const subjects = (count: number): Subject[] =>
    Array.from({ length: count }, () => {
      const c = SEED_COMMUNITIES[serial % SEED_COMMUNITIES.length] as (typeof SEED_COMMUNITIES)[number];
      serial += 1;
      return { id: `peer-${String(serial).padStart(7, '0')}`, community: c.community, street: c.street };
    });

  const properties = fs
    .readFileSync(path.join(PROJECT, 'src', 'main', 'resources', 'application.properties'), 'utf8')
    .split('\n')
    .filter((l) => l.trim() && !l.startsWith('#'));
  return {
    name: 'flowable',
    title: `Flowable ${pomVersions().Flowable} REST`,
    processes: [{ name: 'flowable', pid: child.pid as number }],
    logFile,
    versions: { ...pomVersions(), Java: java },
    info: {
      jvm: `java ${JVM_FLAGS.join(' ')} -jar ${path.relative(PROJECT_ROOT, JAR)}`,
      database: `${DATABASE} on the bench's PostgreSQL`,
      properties: properties.join('; '),
      publicNotice: notice,
    },
    // A case takes at least three round trips, so a few hundred subjects per second of load are plenty.
    run: (concurrency, seconds, label = `flowable c=${concurrency}`) =>
      runCases(driver, subjects(Math.ceil(seconds * 400) + 100), concurrency, seconds, label),
    async stop() {
      api.close();
      await stop();
    },
  };
}
