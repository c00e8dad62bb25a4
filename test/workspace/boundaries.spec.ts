import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * The architecture is enforced by lint, so these tests run the workspace's own ESLint on probe
 * code placed (via stdin) inside each project, and expect every forbidden import refused.
 */
const root = path.resolve(__dirname, '../..');

interface Message {
  line: number;
  ruleId: string | null;
  message: string;
}

function lintAs(file: string, lines: readonly string[]): Message[] {
  let out: string;
  try {
    out = execFileSync(
      path.join(root, 'node_modules/.bin/eslint'),
      ['--format', 'json', '--stdin', '--stdin-filename', file],
      {
        cwd: root,
        input: lines.join('\n') + '\n',
        encoding: 'utf8',
        env: { ...process.env, NX_DAEMON: 'false' },
      },
    );
  } catch (e) {
    // ESLint exits 1 when it finds problems; its report is still on stdout.
    out = (e as { stdout: string }).stdout;
  }
  const [result] = JSON.parse(out) as { messages: Message[] }[];
  return result?.messages ?? [];
}

const boundaryRules = ['no-restricted-imports', '@nx/enforce-module-boundaries'];

describe('the domain library stays pure', () => {
  const probe = [
    "import { Injectable } from '@nestjs/common';",
    "import { DataSource } from 'typeorm';",
    "import { Pool } from 'pg';",
    "import { proxyActivities } from '@temporalio/workflow';",
    "import { readFileSync } from 'node:fs';",
    "import { request } from 'http';",
    "import '@certflow/cli';",
    "import { z } from 'zod';",
    "import { addDays } from './calendar';",
    'export const used = [Injectable, DataSource, Pool, proxyActivities, readFileSync, request, z, addDays];',
    'export const now = () => Date.now();',
    'export const today = () => new Date();',
    'export const parsed = (s: string) => new Date(s);',
  ];
  let messages: Message[];
  beforeAll(() => {
    messages = lintAs('libs/domain/src/__boundary-probe__.ts', probe);
  });
  const on = (line: number) => messages.filter((m) => m.line === line);

  it.each([
    [1, 'NestJS'],
    [2, 'TypeORM'],
    [3, 'pg'],
    [4, 'Temporal'],
    [5, 'node I/O'],
    [6, 'node I/O without the node: prefix'],
  ])('refuses the import on line %i (%s)', (line) => {
    expect(on(line).filter((m) => boundaryRules.includes(m.ruleId ?? ''))).not.toEqual([]);
  });

  it('refuses an import of an app through the project graph', () => {
    expect(on(7).map((m) => m.ruleId)).toContain('@nx/enforce-module-boundaries');
  });

  it('accepts zod and relative imports', () => {
    expect(on(8)).toEqual([]);
    expect(on(9)).toEqual([]);
  });

  it('refuses reading the clock but not parsing a date', () => {
    expect(on(11).map((m) => m.message)).toEqual([expect.stringContaining('never reads the clock')]);
    expect(on(12).map((m) => m.message)).toEqual([expect.stringContaining('never reads the clock')]);
    expect(on(13)).toEqual([]);
  });

  it('pulls in nothing but TypeScript and zod', () => {
    const imports = new Set<string>();
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const file = path.join(dir, name);
        if (statSync(file).isDirectory()) walk(file);
        else if (
          file.endsWith('.ts') &&
          !file.endsWith('.spec.ts') &&
          !file.includes(`${path.sep}testing${path.sep}`)
        ) {
          for (const m of readFileSync(file, 'utf8').matchAll(/from '([^']+)'/g)) {
            if (!m[1]?.startsWith('.')) imports.add(m[1] ?? '');
          }
        }
      }
    };
    walk(path.join(root, 'libs/domain/src'));
    expect([...imports].sort()).toEqual(['zod']);
    const manifest = JSON.parse(readFileSync(path.join(root, 'libs/domain/package.json'), 'utf8')) as {
      dependencies: object;
    };
    expect(Object.keys(manifest.dependencies).sort()).toEqual(['zod']);
  });
});

describe('apps are leaves', () => {
  it('refuses an app imported from another project', () => {
    const messages = lintAs('test/workspace/__boundary-probe__.ts', ["import '@certflow/cli';", 'export const x = 1;']);
    expect(messages.filter((m) => m.line === 1)).toEqual([
      expect.objectContaining({ ruleId: '@nx/enforce-module-boundaries', message: 'Imports of apps are forbidden' }),
    ]);
  });
});

/**
 * One probe per fence beyond the domain's: each line imports one thing its project may not, chosen
 * so that exactly one constraint refuses it (the message names that constraint's tag or rule).
 */
describe('every layer and scope is fenced', () => {
  const cases: readonly (readonly [file: string, importing: string, refusedBy: string])[] = [
    // type:data-access: no NestJS, no feature, no test harness
    ['libs/event-store/src/__boundary-probe__.ts', '@nestjs/common', '"type:data-access" is not allowed to import'],
    ['libs/event-store/src/__boundary-probe__.ts', '@certflow/health', '"type:data-access" can only depend on'],
    ['libs/event-store/src/__boundary-probe__.ts', '@certflow/testing', '"type:data-access" can only depend on'],
    // type:feature: no NestJS, no test harness, no app
    ['libs/parties/src/__boundary-probe__.ts', '@nestjs/common', '"type:feature" is not allowed to import'],
    ['libs/health/src/__boundary-probe__.ts', '@certflow/testing', '"type:feature" can only depend on'],
    ['libs/health/src/__boundary-probe__.ts', '@certflow/cli', 'Imports of apps are forbidden'],
    // type:workflows: domain and util only
    ['workflows/src/__boundary-probe__.ts', '@certflow/postgres', '"type:workflows" can only depend on'],
    // type:util: util only
    ['libs/application/src/__boundary-probe__.ts', '@certflow/domain', '"type:util" can only depend on'],
    // type:app: anything but the test harness
    ['apps/api/src/__boundary-probe__.ts', '@certflow/testing', '"type:app" can only depend on'],
    // type:testing: no app
    ['libs/testing/src/__boundary-probe__.ts', '@certflow/cli', 'Imports of apps are forbidden'],
    // scopes: the platform sees neither campaign nor audit; campaign and audit do not see each other
    ['libs/health/src/__boundary-probe__.ts', '@certflow/parties', '"scope:platform" can only depend on'],
    ['libs/event-store/src/__boundary-probe__.ts', '@certflow/workflows', '"scope:platform" can only depend on'],
    ['libs/parties/src/__boundary-probe__.ts', '@certflow/audit', '"scope:campaign" can only depend on'],
    ['libs/audit/src/__boundary-probe__.ts', '@certflow/parties', '"scope:audit" can only depend on'],
    ['libs/domain/src/__boundary-probe__.ts', '@certflow/postgres', '"scope:shared" can only depend on'],
    // test databases stay out of production code (the project graph allows postgres here)
    ['libs/event-store/src/__boundary-probe__.ts', '@certflow/postgres/testing', 'Test databases are for tests only'],
  ];
  const files = [...new Set(cases.map(([file]) => file))];
  const messages = new Map<string, Message[]>();
  beforeAll(() => {
    for (const file of files) {
      const lines = cases.filter(([f]) => f === file).map(([, importing]) => `import '${importing}';`);
      messages.set(file, lintAs(file, [...lines, 'export const x = 1;']));
    }
  }, 600_000);

  it.each(cases)('%s may not import %s', (file, importing, refusedBy) => {
    const line = cases.filter(([f]) => f === file).findIndex(([, i]) => i === importing) + 1;
    const refusals = (messages.get(file) ?? []).filter((m) => m.line === line);
    expect(refusals.map((m) => m.message)).toContainEqual(expect.stringContaining(refusedBy));
  });

  it('lets tests use test databases and the harness, and apps wire NestJS', () => {
    const spec = lintAs('libs/event-store/src/__boundary-probe__.int-spec.ts', [
      "import '@certflow/postgres/testing';",
      'export const x = 1;',
    ]);
    expect(spec.filter((m) => boundaryRules.includes(m.ruleId ?? ''))).toEqual([]);
    const test = lintAs('test/workspace/__boundary-probe__.ts', ["import '@certflow/testing';", 'export const x = 1;']);
    expect(test.filter((m) => boundaryRules.includes(m.ruleId ?? ''))).toEqual([]);
    const app = lintAs('apps/api/src/__boundary-probe__.ts', ["import '@nestjs/common';", 'export const x = 1;']);
    expect(app.filter((m) => boundaryRules.includes(m.ruleId ?? ''))).toEqual([]);
  });
});
