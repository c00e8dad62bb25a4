module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'cli',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/src/**/*.int-spec.ts'],
  globalSetup: '<rootDir>/../../libs/postgres/src/testing/global-setup.ts',
  globalTeardown: '<rootDir>/../../libs/postgres/src/testing/global-teardown.ts',
  testTimeout: 120000,
};
