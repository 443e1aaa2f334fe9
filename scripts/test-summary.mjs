// Prints the run's closing line, "N passed, N failed", from the Vitest and Playwright JSON
// reports written by scripts/test.sh (a missing report counts as one failure: it did not run).
import fs from "node:fs";

let passed = 0;
let failed = 0;
for (const file of process.argv.slice(2)) {
  if (!fs.existsSync(file)) {
    failed++;
    continue;
  }
  const r = JSON.parse(fs.readFileSync(file, "utf8"));
  if (r.stats && "expected" in r.stats) {
    passed += r.stats.expected + (r.stats.flaky ?? 0);
    failed += r.stats.unexpected;
  } else {
    passed += r.numPassedTests ?? 0;
    // A file that failed to load has no failed tests of its own but failed all the same.
    failed += (r.numFailedTests ?? 0) || (r.numFailedTestSuites ?? 0);
  }
}
console.log(`${passed} passed, ${failed} failed`);
