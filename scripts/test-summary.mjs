// Prints the run's closing line, "N passed, N failed, N skipped", from the Vitest and
// Playwright JSON reports written by scripts/test.sh. A missing report counts as one failure:
// that suite did not run. Lint and types are a step, reported by test.sh, not counted here.
import fs from "node:fs";

let passed = 0;
let failed = 0;
let skipped = 0;
for (const file of process.argv.slice(2)) {
  if (!fs.existsSync(file)) {
    console.log(`missing report: ${file} (that suite did not run)`);
    failed++;
    continue;
  }
  const r = JSON.parse(fs.readFileSync(file, "utf8"));
  if (r.stats && "expected" in r.stats) {
    passed += r.stats.expected + (r.stats.flaky ?? 0);
    failed += r.stats.unexpected;
    skipped += r.stats.skipped ?? 0;
  } else {
    passed += r.numPassedTests ?? 0;
    // A file that failed to load has no failed tests of its own but failed all the same.
    failed += (r.numFailedTests ?? 0) || (r.numFailedTestSuites ?? 0);
    skipped += (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  }
}
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
