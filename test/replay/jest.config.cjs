module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'replay-tests',
  rootDir: __dirname,
  testMatch: ['<rootDir>/**/*.int-spec.ts', '<rootDir>/**/*.spec.ts'],
  testTimeout: 180000,
};
