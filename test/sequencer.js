const Sequencer = require('@jest/test-sequencer').default;

/**
 * With two Jest workers the run ends when the last file does, so the longest files start first. Jest orders by the
 * durations it cached on an earlier run, but a clean clone (CI) has none and would go by file size, which says
 * little here: these files wait on real notice periods, browsers and the fuzzer. Longest first, as measured.
 */
const LONGEST_FIRST = [
  'test/promotion-rounds.test.ts',
  'test/web/inbox-audit-print.test.ts',
  'test/fuzz.test.ts',
  'test/web/assessments.test.ts',
  'test/annual-assessment.test.ts',
  'test/archive.test.ts',
  'test/workflow-updates.test.ts',
  'test/replay.test.ts',
  'test/web/ui.test.ts',
  'test/appeals-and-secondments.test.ts',
  'test/api-contract.test.ts',
  'test/records.test.ts',
  'test/case-types.test.ts',
];

class LongestFirst extends Sequencer {
  async sort(tests) {
    const rank = (test) => {
      const i = LONGEST_FIRST.findIndex((file) => test.path.endsWith(file));
      return i === -1 ? LONGEST_FIRST.length : i;
    };
    // Array.prototype.sort is stable: the rest keep Jest's own order.
    return [...(await super.sort(tests))].sort((a, b) => rank(a) - rank(b));
  }
}

module.exports = LongestFirst;
