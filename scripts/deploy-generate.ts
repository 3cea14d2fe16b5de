/**
 * `npm run deploy:generate`: writes the Dockerfile, deploy/compose.yaml, deploy/kubernetes/ and the Temporal
 * server's configuration for containers from infra/deployment.ts (app/deployment-artifacts.ts). With --check it
 * writes nothing and fails when a committed file differs (test/deployment.test.ts does the same in npm test).
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { deploymentArtifacts } from '../app/deployment-artifacts';
import { PROJECT_ROOT } from '../infra/config';

const { values } = parseArgs({ options: { check: { type: 'boolean', default: false } } });
let stale = 0;
for (const [file, text] of Object.entries(deploymentArtifacts())) {
  const target = path.join(PROJECT_ROOT, file);
  const current = fs.existsSync(target) ? fs.readFileSync(target, 'utf8') : undefined;
  if (current === text) continue;
  if (values.check) {
    console.error(`${file} differs from what infra/deployment.ts renders: run npm run deploy:generate`);
    stale += 1;
  } else {
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, text);
    console.log(`wrote ${file}`);
  }
}
process.exit(stale ? 1 : 0);
