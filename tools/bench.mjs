#!/usr/bin/env node
// Every benchmark, one after the other: `npm run bench` (full) or `npm run bench:smoke` (small N,
// part of `npm test`). Extra arguments go to each benchmark (e.g. --only=launch,step).
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const env = { ...process.env, SWC_NODE_PROJECT: path.join(root, 'tsconfig.base.json') };
let failed = 0;
for (const bench of ['bench/event-store.bench.ts', 'bench/system.bench.ts']) {
  console.log(`\n$ node -r @swc-node/register ${bench} ${process.argv.slice(2).join(' ')}`);
  const r = spawnSync(
    process.execPath,
    ['-r', '@swc-node/register', path.join(root, bench), ...process.argv.slice(2)],
    {
      cwd: root,
      env,
      stdio: 'inherit',
    },
  );
  if (r.status !== 0) failed += 1;
}
process.exit(failed === 0 ? 0 : 1);
