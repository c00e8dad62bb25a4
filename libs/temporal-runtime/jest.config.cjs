module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'temporal-runtime',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
};
