module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'e2e',
  rootDir: __dirname,
  testMatch: ['<rootDir>/**/*.e2e-spec.ts'],
  globalSetup: '<rootDir>/../../libs/postgres/src/testing/global-setup.ts',
  globalTeardown: '<rootDir>/../../libs/postgres/src/testing/global-teardown.ts',
  testTimeout: 300000,
};
