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
    messages = lintAs('libs/domain/src/lib/__boundary-probe__.ts', probe);
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
