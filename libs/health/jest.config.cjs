module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'health',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/src/**/*.int-spec.ts'],
  globalSetup: '<rootDir>/../postgres/src/testing/global-setup.ts',
  globalTeardown: '<rootDir>/../postgres/src/testing/global-teardown.ts',
  testTimeout: 60000,
};
