/*
 * Ends every Jest run with one plain line, "tests: N passed, N failed, N skipped", which CI reads to tell
 * a run that tested something from one that tested nothing.
 */
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const skipped = results.numPendingTests + results.numTodoTests;
    process.stdout.write(
      `tests: ${results.numPassedTests} passed, ${results.numFailedTests} failed, ${skipped} skipped\n`
    );
  }
}
module.exports = SummaryReporter;
