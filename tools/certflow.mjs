#!/usr/bin/env node
// Runs the CertFlow CLI (apps/cli) from source: `npm run certflow -- <command>`.
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const result = spawnSync(
  process.execPath,
  ['-r', '@swc-node/register', path.join(root, 'apps/cli/src/main.ts'), ...process.argv.slice(2)],
  {
    cwd: process.cwd(),
    stdio: 'inherit',
    env: { ...process.env, SWC_NODE_PROJECT: path.join(root, 'tsconfig.base.json') },
  },
);
process.exit(result.status ?? 1);
