#!/usr/bin/env node
// Runs the CertFlow CLI (apps/cli) from source: `npm run certflow -- <command>`. Signals are passed
// on, so Ctrl-C (or a supervisor's SIGINT) reaches the CLI and whatever it runs.
import { spawn } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const child = spawn(
  process.execPath,
  ['-r', '@swc-node/register', path.join(root, 'apps/cli/src/main.ts'), ...process.argv.slice(2)],
  {
    cwd: process.cwd(),
    stdio: 'inherit',
    env: { ...process.env, SWC_NODE_PROJECT: path.join(root, 'tsconfig.base.json') },
  },
);
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code, sig) => process.exit(code ?? (sig ? 1 : 0)));
