// Mutation testing of the two aggregates' rules (not part of `npm test`). From the repository root:
//   npx stryker run libs/domain/stryker.config.mjs
// with @stryker-mutator/core and @stryker-mutator/jest-runner 9.6.1 (10.x needs Node 22+).
// One mutant at a time: the machine has two cores. About 30 minutes for ~1,000 mutants here.
export default {
  testRunner: 'jest',
  plugins: ['@stryker-mutator/jest-runner'],
  jest: { projectType: 'custom', configFile: 'libs/domain/jest.config.cjs', enableFindRelatedTests: true },
  mutate: ['libs/domain/src/credential-set/**/*.ts', 'libs/domain/src/party/**/*.ts', '!**/*.spec.ts'],
  // The sandbox holds only what the domain's tests read.
  ignorePatterns: [
    '/*',
    '!/libs',
    '/libs/*',
    '!/libs/domain',
    '!/policies',
    '!/tools',
    '/tools/*',
    '!/tools/jest-summary-reporter.cjs',
    '!/jest.preset.cjs',
    '!/tsconfig.base.json',
    '!/package.json',
  ],
  coverageAnalysis: 'perTest',
  concurrency: 1,
  tempDirName: 'tmp/stryker',
  cleanTempDir: true,
  reporters: ['clear-text', 'progress', 'json'],
  jsonReporter: { fileName: 'tmp/stryker/mutation.json' },
};
