// Writes each jest run's counts to tmp/test-results/<project>.json, so `npm test` can end with
// one summary line even when Nx restores a project's test run from its cache.
const fs = require('node:fs');
const path = require('node:path');

module.exports = class SummaryReporter {
  constructor(globalConfig) {
    this.rootDir = globalConfig.rootDir;
  }

  onRunComplete(_contexts, results) {
    // Named by project root, as Nx's test target declares it in nx.json outputs.
    const project = path.relative(path.join(__dirname, '..'), this.rootDir).split(path.sep).join('/') || 'root';
    const file = path.join(__dirname, '..', 'tmp', 'test-results', `${project}.json`);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(
      file,
      JSON.stringify({
        project,
        passed: results.numPassedTests,
        failed: results.numFailedTests + results.numRuntimeErrorTestSuites,
        skipped: results.numPendingTests + results.numTodoTests,
        suites: results.numTotalTestSuites,
      }),
    );
  }
};
