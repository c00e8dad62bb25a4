// The fast workflow tier alone: the time-skipping server and an in-memory append, no PostgreSQL.
// (test/workflows/jest.config.cjs runs it too, with the PostgreSQL tier.)
module.exports = {
  ...require('../../../jest.preset.cjs'),
  displayName: 'workflow-tests-fast',
  rootDir: __dirname,
  testMatch: ['<rootDir>/**/*.spec.ts'],
  testTimeout: 60000,
};
