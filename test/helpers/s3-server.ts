import { spawn, type ChildProcess } from 'node:child_process';
import { freePort, killWithThisProcess, stopChild } from '../../infra/processes';
import { resolveTool, type ToolSpec } from '../../infra/temporal-binaries';

/**
 * A real S3-compatible server for the attachment store's tests: moto's server mode (PyPI `moto[server]`, found on
 * MOTO_SERVER_PATH or PATH, else installed into .tools/ like the other tools), on a free loopback port.
 */
export const MOTO_SERVER: ToolSpec = {
  command: 'moto_server',
  envVar: 'MOTO_SERVER_PATH',
  pypiPackage: 'moto[server]',
  pypiVersion: '5.2.5',
  pypiDependencies: true,
};

export interface S3Server {
  endpoint: string;
  stop: () => Promise<void>;
}

export async function startS3Server(): Promise<S3Server> {
  const tool = resolveTool(MOTO_SERVER, { log: (line) => process.stderr.write(`[moto] ${line}\n`) });
  if (!tool) throw new Error('no moto_server: set MOTO_SERVER_PATH, put it on PATH, or make pip available to install it');
  const port = await freePort();
  const child: ChildProcess = spawn(tool.path, ['-H', '127.0.0.1', '-p', String(port)], {
    env: { ...process.env, ...(tool.pythonPath ? { PYTHONPATH: tool.pythonPath } : {}) },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  killWithThisProcess(child);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const endpoint = `http://127.0.0.1:${port}`;
  const until = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`moto_server exited (${child.exitCode}): ${stderr}`);
    const up = await fetch(`${endpoint}/moto-api/`).then(
      (r) => r.status < 500,
      () => false,
    );
    if (up) break;
    if (Date.now() > until) {
      await stopChild(child);
      throw new Error(`moto_server did not answer within 60 s: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { endpoint, stop: () => stopChild(child) };
}
