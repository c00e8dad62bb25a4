#!/usr/bin/env node
// The one test command: formatting, then lint, typecheck and tests of every Nx project; ends with
// one summary line. Exit status is non-zero when anything failed.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const env = {
  ...process.env,
  NX_DAEMON: process.env.CI ? 'false' : (process.env.NX_DAEMON ?? 'false'),
  NX_NO_CLOUD: 'true',
  // CI runs every task: Nx's cache is shared by every clone on the machine (a clean clone reused
  // 34 of 37 results). Locally the cache stays on unless NX_SKIP_NX_CACHE is set.
  ...(process.env.CI ? { NX_SKIP_NX_CACHE: 'true' } : {}),
  SWC_NODE_PROJECT: path.join(root, 'tsconfig.base.json'),
};
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const run = (cmd, args) => {
  console.log(`\n$ ${path.basename(cmd)} ${args.join(' ')}`);
  return spawnSync(cmd, args, { cwd: root, env, stdio: 'inherit' }).status === 0;
};

const resultsDir = path.join(root, 'tmp', 'test-results');
rmSync(resultsDir, { recursive: true, force: true });

const checks = [];
checks.push(['format', run(bin('prettier'), ['--check', '.', '--log-level', 'warn'])]);
const targets = ['lint', 'typecheck', 'test'];
const extra = process.argv.slice(2);
const nxOk = run(bin('nx'), ['run-many', '-t', ...targets, '--outputStyle=static', '--nxBail=false', ...extra]);
checks.push(['nx run-many -t lint typecheck test', nxOk]);
// Benchmarks run in smoke mode so they never rot; their numbers are read in bench/README.md, not here.
checks.push(['bench smoke', run(process.execPath, [path.join(root, 'tools/bench.mjs'), '--smoke'])]);
// Fault drills: the system with its parts killed and restarted, one drill at a time.
checks.push(['fault drills', run(bin('nx'), ['run', 'drills:drill', '--outputStyle=static'])]);

let passed = 0;
let failed = 0;
const perProject = [];
if (existsSync(resultsDir)) {
  const files = readdirSync(resultsDir, { recursive: true }).filter((f) => f.endsWith('.json'));
  for (const file of files.sort()) {
    const r = JSON.parse(readFileSync(path.join(resultsDir, file), 'utf8'));
    passed += r.passed;
    failed += r.failed;
    perProject.push(`${r.project} ${r.passed}/${r.passed + r.failed}`);
  }
}
const failedChecks = checks.filter(([, ok]) => !ok).map(([name]) => name);
console.log(`\ntests by project: ${perProject.join(', ') || 'none ran'}`);
if (failedChecks.length) console.log(`failed checks: ${failedChecks.join('; ')}`);
console.log(
  `SUMMARY: ${passed} passed, ${failed} failed; checks ${checks.length - failedChecks.length} passed, ${failedChecks.length} failed`,
);
process.exit(failedChecks.length === 0 && failed === 0 && passed > 0 ? 0 : 1);
