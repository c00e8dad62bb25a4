// Fault drills: the running system (Temporal dev server, worker, API, its own PostgreSQL) with parts
// killed and restarted. Not a `test` target: they run after the tests, one at a time (`npm run drills`).
module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'drills',
  rootDir: __dirname,
  testMatch: ['<rootDir>/**/*.drill-spec.ts'],
  testTimeout: 600000,
  maxWorkers: 1,
};
