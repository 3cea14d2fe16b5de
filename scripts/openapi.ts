/**
 * Prints the OpenAPI document (`npm run -s openapi > openapi.json`), or validates it against the OpenAPI 3.1
 * specification's schema with `--check` (exit code 1 with the problems). The document is built from the same
 * operation declarations the API serves.
 */
import { generateKeyPairSync } from 'node:crypto';
import { ledgerSigner } from '../infra/ledger-key';
import { apiDocument, apiOperations, createServices } from '../api/app';
import { createMetrics } from '../api/metrics';
import { BUILT_IN_RULE_SETS, type RuleSet } from '../domain/rules';
import { createLogger } from '../infra/logger';
import { createStore } from '../store';

async function main() {
  // Building the document touches no dependency: the handlers are never called.
  const unused = new Proxy(
    {},
    {
      get: () => {
        throw new Error('not used');
      },
    },
  ) as never;
  const services = createServices({
    store: createStore(unused),
    temporal: unused,
    verifyToken: unused,
    ruleSet: BUILT_IN_RULE_SETS['jiangsu-2025'] as RuleSet,
    logger: createLogger('silent'),
    // Only to list the routes: the document does not depend on the key.
    ledgerSigner: ledgerSigner(generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()),
    publicChallengeSecret: 'unused: the document does not depend on the secret',
  });
  const document = apiDocument(apiOperations(services, createMetrics(services.store)));
  if (!process.argv.includes('--check')) {
    process.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
    return;
  }
  // An ES module: imported dynamically from this CommonJS script.
  const { Validator } = await import('@seriousme/openapi-schema-validator');
  const result = await new Validator().validate(document);
  if (!result.valid) {
    console.error(JSON.stringify(result.errors, null, 2));
    process.exit(1);
  }
  console.log(`valid OpenAPI ${String((document as { openapi: string }).openapi)}: ${Object.keys(document.paths).length} paths`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
