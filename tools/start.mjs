#!/usr/bin/env node
// `npm start`: for now, validates the shipped 2023 Changzhou policy and prints it rebased to start
// today (a rehearsal of the campaign). The lifecycle issue turns this into the whole system's start.
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
const cliArgs = args.length > 0 ? args : ['policy', 'policies/changzhou-2023.json', '--rebase', 'today'];
const result = spawnSync(process.execPath, ['-r', '@swc-node/register', 'apps/cli/src/main.ts', ...cliArgs], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, SWC_NODE_PROJECT: path.join(root, 'tsconfig.base.json') },
});
process.exit(result.status ?? 1);
