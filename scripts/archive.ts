/**
 * `npm run archive [-- --after-days 365 --limit 500]`: archives closed cases decided more than ARCHIVE_AFTER_DAYS
 * (or --after-days) ago: each one becomes a self-verifying bundle in ARCHIVE_S3_BUCKET or ARCHIVE_DIR, read back
 * and verified, and only then are its rows removed (services/archive.ts, docs/ledger.md "Archival"). Needs
 * DATABASE_URL and TEMPORAL_ADDRESS, as `npm run api` does. Prints one JSON line per case; exits 1 when a case
 * could not be archived (it stays in the database), 0 otherwise.
 *
 * `npm run -s archive -- verify <bundle.tar> [--ledger <page.json | folder> …] [--public-key <public.pem> …]`: checks a
 * bundle offline (a v1 bundle, `<caseId>.json`, too), reading it as a stream: its events against their chain, its
 * files and documents against their SHA-256, its ledger entries, with --ledger that they are those of a ledger export's pages (check them with ledger:verify), with
 * --public-key its checkpoint's signature. Exits 0 when it holds, 1 when not, 2 on bad usage or input.
 *
 * `npm run -s archive -- restore <caseId> [<caseId> …]`: brings archived cases' rows back from their bundles, each
 * bundle checked first (its recorded SHA-256, verifyBundle, its ledger entries against the ledger's); the case
 * stays closed and is not archived again (services/archive.ts restoreCase). One JSON line per case; exits 1 when a
 * case was not restored, 0 otherwise. Needs what archiving needs.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { apiServices, activeRuleSet } from '../app/runtime';
import { entriesNotInLedger, verifyBundle } from '../domain/archive';
import { BundleFormatError, readBundle } from '../infra/archive-bundle';
import type { LedgerEntry, LedgerPage } from '../domain/ledger';
import { loadConfig, type Config } from '../infra/config';
import { signatureCheck } from '../infra/ledger-key';
import { createLogger } from '../infra/logger';
import { createPrisma } from '../infra/prisma';

async function verify(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { ledger: { type: 'string', multiple: true }, 'public-key': { type: 'string', multiple: true } },
  });
  const [file] = positionals;
  if (!file) {
    console.error('usage: npm run -s archive -- verify <bundle.tar> [--ledger <page.json | folder> …] [--public-key <public.pem> …]');
    return 2;
  }
  let read: Awaited<ReturnType<typeof readBundle>>;
  try {
    read = await readBundle(fs.createReadStream(file));
  } catch (err) {
    if (!(err instanceof BundleFormatError)) throw err;
    console.log(JSON.stringify({ ok: false, problems: [{ problem: 'format', detail: err.message }] }));
    return 1;
  }
  const bundle = read.manifest;
  const keys = values['public-key'] ?? [];
  const problems: unknown[] = verifyBundle(
    bundle,
    read.entries,
    keys.length ? signatureCheck(...keys.map((f) => fs.readFileSync(f, 'utf8'))) : undefined,
  );
  if (values.ledger?.length) {
    // One page in memory at a time; only the entries the bundle names are kept.
    const wanted = new Set(bundle.ledgerEntries.map((e) => e.ledgerSeq));
    const found: LedgerEntry[] = [];
    for (const file of values.ledger.flatMap((p) =>
      fs.statSync(p).isDirectory()
        ? fs
            .readdirSync(p)
            .filter((f) => f.endsWith('.json'))
            .map((f) => path.join(p, f))
        : [p],
    ))
      found.push(...(JSON.parse(fs.readFileSync(file, 'utf8')) as LedgerPage).entries.filter((e) => wanted.has(e.ledgerSeq)));
    for (const ledgerSeq of entriesNotInLedger(bundle, found)) problems.push({ problem: 'not-in-ledger-export', ledgerSeq });
  }
  console.log(
    JSON.stringify({
      ok: problems.length === 0,
      caseId: bundle.case?.id,
      format: read.format,
      events: bundle.events?.length,
      sha256: read.file.sha256,
      problems,
    }),
  );
  return problems.length === 0 ? 0 : 1;
}

/** The archive service as `npm run api` would build it, for one command; closed afterwards. */
async function withArchive(
  run: (archive: Awaited<ReturnType<typeof apiServices>>['services']['archive'], config: Config) => Promise<number>,
) {
  const config = loadConfig();
  if (!config.temporal.address || !config.database.url) throw new Error('npm run archive needs DATABASE_URL and TEMPORAL_ADDRESS');
  const logger = createLogger(config.logLevel, 'community-cases-archive');
  const prisma = createPrisma(config.database.url, 2);
  const runtime = await apiServices({ config, prisma, logger, ruleSet: activeRuleSet(config) });
  try {
    return await run(runtime.services.archive, config);
  } finally {
    await runtime.close();
    await prisma.$disconnect();
  }
}

async function restore(caseIds: string[]): Promise<number> {
  if (caseIds.length === 0) {
    console.error('usage: npm run -s archive -- restore <caseId> [<caseId> …]');
    return 2;
  }
  return withArchive(async (archive) => {
    let kept = 0;
    for (const caseId of caseIds) {
      const outcome = await archive.restoreCase(caseId);
      if (!outcome.restored) kept += 1;
      console.log(JSON.stringify(outcome));
    }
    return kept > 0 ? 1 : 0;
  });
}

async function archive(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { 'after-days': { type: 'string' }, limit: { type: 'string', default: '500' } } });
  return withArchive(async (service, config) => {
    const afterDays = values['after-days'] === undefined ? config.archive.afterDays : Number(values['after-days']);
    const limit = Number(values.limit);
    if (!Number.isFinite(afterDays) || afterDays < 0 || !Number.isInteger(limit) || limit < 1) {
      console.error('usage: npm run archive [-- --after-days <days ≥ 0> --limit <cases ≥ 1>]');
      return 2;
    }
    const outcomes = await service.run({ afterDays, limit });
    for (const o of outcomes) console.log(JSON.stringify(o));
    const kept = outcomes.filter((o) => !o.archived).length;
    console.error(`${outcomes.length - kept} archived, ${kept} kept (closed before ${afterDays} days ago, at most ${limit})`);
    return kept > 0 ? 1 : 0;
  });
}

const [command, ...rest] = process.argv.slice(2);
(command === 'verify' ? verify(rest) : command === 'restore' ? restore(rest) : archive(process.argv.slice(2)))
  .then((code) => {
    process.exitCode = code;
  })
  .catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 2;
  });
