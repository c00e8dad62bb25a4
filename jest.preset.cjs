// Shared jest settings: SWC transpiles TypeScript (type checking is the typecheck target's job),
// and the workspace aliases resolve through tsconfig.base.json's paths.
const path = require('node:path');
const { compilerOptions } = require('./tsconfig.base.json');

// `@certflow/x` maps exactly; `@certflow/x/*` maps its rest onto the target folder.
const moduleNameMapper = Object.fromEntries(
  Object.entries(compilerOptions.paths).map(([alias, [target]]) =>
    alias.endsWith('/*')
      ? [`^${alias.slice(0, -2)}/(.*)$`, path.join(__dirname, target.slice(0, -2), '$1')]
      : [`^${alias}$`, path.join(__dirname, target)],
  ),
);

module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      {
        jsc: {
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true },
          target: 'es2022',
        },
        module: { type: 'commonjs' },
      },
    ],
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper,
  reporters: ['default', path.join(__dirname, 'tools/jest-summary-reporter.cjs')],
};
