/**
 * The layers and their order, checked by dependency-cruiser (npm run lint): a module imports from its own layer
 * and the ones below it, never from one above, and no import cycle anywhere (type-only imports count).
 *
 *   domain < infra < store (and prisma/) < activities, workflows < services < api < app < scripts, bench, test
 *
 * The workflow bundle takes only the pure domain and the activities' types; Prisma is reached only through
 * infra/prisma.ts, from the store, the activities and the composition root; the web UI takes the domain's
 * vocabulary at run time and nothing else of the server but types.
 */

/** Every layer above a given one, as a path pattern. */
const ORDER = ['domain', 'infra', '(store|prisma)', '(activities|workflows)', 'services', 'api', 'app', '(scripts|bench|test)'];
const above = (layer) => `^${ORDER.slice(ORDER.indexOf(layer) + 1).join('|')}/`.replace(/^\^(.*)\/$/, '^($1)/');

const layerRule = (layer) => ({
  name: `${layer.replace(/[()]/g, '').replace('|', '-')}-imports-upward`,
  comment: `${layer} may import only from its own layer and those below it`,
  severity: 'error',
  from: { path: `^${layer}/` },
  to: { path: above(layer) },
});

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'an import cycle: two modules that cannot be read, tested or moved one without the other',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    ...ORDER.slice(0, -1).map(layerRule),
    {
      name: 'domain-is-pure',
      comment: 'domain/ is pure logic: it imports only itself, zod and @noble (no Node, no I/O)',
      severity: 'error',
      from: { path: '^domain/' },
      to: { pathNot: ['^domain/', '^node_modules/(zod|@noble)/'] },
    },
    {
      name: 'workflows-deterministic',
      comment: 'the workflow bundle holds only the pure domain, its own messages and the activities’ types',
      severity: 'error',
      from: { path: '^workflows/' },
      to: { pathNot: ['^workflows/', '^domain/', '^activities/', '^node_modules/@temporalio/(workflow|common)/'] },
    },
    {
      name: 'workflows-take-activity-types-only',
      comment: 'a workflow calls activities through proxies; importing their code would pull I/O into the bundle',
      severity: 'error',
      from: { path: '^workflows/' },
      to: { path: '^activities/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'prisma-only-in-the-data-layer',
      comment: 'Prisma is used by the store, the activities, the seed and the composition root, never above them',
      severity: 'error',
      from: { path: '^(domain|workflows|services|api|web)/' },
      to: { path: ['^infra/prisma\\.ts$', '^generated/', '^node_modules/(@prisma|prisma)/'] },
    },
    {
      name: 'generated-client-behind-infra',
      comment: 'the generated Prisma client is imported by infra/prisma.ts alone',
      severity: 'error',
      from: { pathNot: '^(infra/prisma\\.ts|generated/)' },
      to: { path: '^generated/' },
    },
    {
      name: 'web-imports-no-server-code',
      comment:
        'the web UI bundles the domain vocabulary only (the process words, the case types’ names and which payload fields name another case); everything else of the server it takes as types',
      severity: 'error',
      from: { path: '^web/' },
      to: {
        path: '^(domain|infra|store|prisma|activities|workflows|services|api|app|scripts|bench|test|generated)/',
        pathNot: '^domain/(process/vocabulary|case-types/names)\\.ts$',
        dependencyTypesNot: ['type-only'],
      },
    },
    {
      name: 'web-types-from-domain-and-api-schemas',
      comment: 'the web UI’s types come from the domain and the API’s response schemas (api/schemas.ts), nowhere else',
      severity: 'error',
      from: { path: '^web/' },
      to: {
        path: '^(infra|store|prisma|activities|workflows|services|api|app|scripts|bench|test|generated)/',
        pathNot: '^api/schemas\\.ts$',
      },
    },
    {
      name: 'server-does-not-import-web',
      comment: 'the server and its tools never import the web UI (tests may, to check its texts)',
      severity: 'error',
      from: { path: '^(domain|infra|store|prisma|activities|workflows|services|api|app|scripts|bench)/' },
      to: { path: '^web/' },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'an import that resolves to nothing',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: ['node_modules', '^generated/'] },
    exclude: { path: ['^node_modules/', '(^|/)dist/', '^\\.tools/', '^\\.data/', '^test/fixtures/scaffold-case-type/'] },
    // Type-only imports are dependencies too (a cycle through types is still a cycle); rules tell them apart.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.tsx', '.mts', '.js', '.mjs', '.cjs', '.json', '.d.ts'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
