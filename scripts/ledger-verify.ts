/**
 * Verifies a ledger export offline, page by page (docs/ledger.md):
 *
 *   npm run -s ledger:verify -- <page.json | folder> … --public-key <public.pem> [--checkpoints <ledger-checkpoints.jsonl>]
 *   npm run -s ledger:verify -- --url http://host:3000 --save <folder> --public-key <public.pem>   (LEDGER_TOKEN: an auditor's bearer token)
 *
 * Pages come from GET /api/v1/ledger/export?after=…, files in the order given (a folder: its *.json files by
 * name, numbers compared as numbers), or fetched in sequence from the API with --url (and kept with --save). One
 * page is in memory at a time. --checkpoints adds the checkpoints kept outside the database (LEDGER_CHECKPOINT_FILE,
 * one JSON object a line), checked like the pages' own. The public key comes from GET /api/v1/ledger/public-key, taken from a source you
 * trust (not from the same export); after a rotation, pass every key the ledger was signed with. Prints the
 * result as one JSON line, then a summary; exits 0 when everything holds, 1 when anything is broken, 2 on bad
 * usage or input.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { LedgerCheckpoint, LedgerPage } from '../api/schemas';
import { LedgerVerifier } from '../domain/ledger';
import { signatureCheck } from '../infra/ledger-key';

const USAGE =
  'usage: npm run -s ledger:verify -- <page.json | folder> … --public-key <public.pem> [--public-key <older.pem> …]\n' +
  '       [--checkpoints <ledger-checkpoints.jsonl> …]\n' +
  '       npm run -s ledger:verify -- --url <API base URL> [--save <folder>] --public-key <public.pem>   (LEDGER_TOKEN in the environment)';

function parsePage(label: string, text: string) {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new Error(`${label} is not JSON: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  const parsed = LedgerPage.safeParse(json);
  if (!parsed.success)
    throw new Error(`${label} is not a ledger page: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

/** The page files named on the command line, folders expanded to their JSON files in natural order. */
function pageFiles(positionals: string[]): string[] {
  return positionals.flatMap((p) =>
    fs.statSync(p).isDirectory()
      ? fs
          .readdirSync(p)
          .filter((f) => f.endsWith('.json'))
          .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))
          .map((f) => path.join(p, f))
      : [p],
  );
}

async function* pagesFromApi(base: string, token: string, save: string | undefined) {
  if (save) fs.mkdirSync(save, { recursive: true });
  for (let after: number | null = 0, n = 1; after !== null; n += 1) {
    const url = new URL(`api/v1/ledger/export?after=${after}`, base.endsWith('/') ? base : `${base}/`);
    const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
    const text = await res.text();
    if (!res.ok) throw new Error(`${url.toString()}: HTTP ${res.status} ${text.slice(0, 300)}`);
    const label = `page-${String(n).padStart(6, '0')}.json`;
    if (save) fs.writeFileSync(path.join(save, label), text);
    const page = parsePage(`${label} (after ${after})`, text);
    yield { label, page };
    after = page.nextAfter;
  }
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      'public-key': { type: 'string', multiple: true },
      checkpoints: { type: 'string', multiple: true },
      url: { type: 'string' },
      save: { type: 'string' },
    },
  });
  const keys = values['public-key'] ?? [];
  if (!keys.length || (positionals.length === 0) === !values.url) {
    console.error(USAGE);
    return 2;
  }
  const token = process.env.LEDGER_TOKEN;
  if (values.url && !token) {
    console.error('--url needs LEDGER_TOKEN (an auditor’s bearer token) in the environment');
    return 2;
  }
  const verifier = new LedgerVerifier(signatureCheck(...keys.map((f) => fs.readFileSync(f, 'utf8'))));
  for (const file of values.checkpoints ?? []) {
    for (const [i, line] of fs.readFileSync(file, 'utf8').split('\n').entries()) {
      if (!line.trim()) continue;
      const parsed = LedgerCheckpoint.safeParse(JSON.parse(line));
      if (!parsed.success) throw new Error(`${file}:${i + 1} is not a ledger checkpoint`);
      verifier.checkpoint(`${file}:${i + 1}`, parsed.data);
    }
  }
  const pages = values.url
    ? pagesFromApi(values.url, token!, values.save)
    : (function* () {
        for (const file of pageFiles(positionals)) yield { label: file, page: parsePage(file, fs.readFileSync(file, 'utf8')) };
      })();
  for await (const { label, page } of pages) verifier.page(label, page);
  const result = verifier.result();
  console.log(JSON.stringify(result));
  const sure = result.sureSince
    ? `sure since ${result.sureSince.at} (checkpoint of ${result.sureSince.size} entries); signed up to ${result.coveredUpTo!.size} entries at ${result.coveredUpTo!.at}`
    : 'no checkpoint holds: nothing is proven by a signature';
  if (result.ok) {
    console.log(`ledger intact: ${result.verifiedEntries} entries in ${result.pages} page(s); ${sure}`);
    return 0;
  }
  const bad = result.firstBadEntry;
  if (bad) console.log(`ledger BROKEN: first bad entry: #${bad.ledgerSeq} (${bad.problem}) in ${bad.page}`);
  for (const c of result.badCheckpoints) console.log(`checkpoint of ${c.size} entries at ${c.at} (${c.page}): ${c.problem}`);
  console.log(`${result.verifiedEntries} entries chain from the start; ${sure}`);
  return 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 2;
  },
);
