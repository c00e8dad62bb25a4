module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'workflow-tests',
  rootDir: __dirname,
  testMatch: ['<rootDir>/**/*.int-spec.ts', '<rootDir>/**/*.spec.ts'],
  globalSetup: '<rootDir>/../../libs/postgres/src/testing/global-setup.ts',
  globalTeardown: '<rootDir>/../../libs/postgres/src/testing/global-teardown.ts',
  testTimeout: 180000,
};
