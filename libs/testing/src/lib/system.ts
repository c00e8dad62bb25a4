import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflows, temporalBinaries, workspaceRoot } from '@certflow/temporal-runtime';

/**
 * The running system as processes, for end-to-end tests, fault drills and benchmarks: a Temporal
 * dev server on a SQLite file, the worker and the API. Each part can be killed and started again.
 * Everything it writes (policy, SQLite file, workflow bundle) lives in one temp folder that `stop`
 * removes.
 */
export interface System {
  readonly api: string;
  readonly temporal: Client;
  readonly temporalAddress: string;
  /** The environment the worker and the API run with (DATABASE_URL, TEMPORAL_ADDRESS, ...). */
  readonly env: NodeJS.ProcessEnv;
  /** Starts the worker again; `env` adds to the system's environment for this start (e.g. a failpoint). */
  startWorker(env?: Readonly<Record<string, string>>): Promise<void>;
  killWorker(signal: NodeJS.Signals): Promise<void>;
  /** Resolves once the worker has exited, however (a failpoint kills it by itself). */
  workerExited(): Promise<void>;
  workerPid(): number | null;
  /** Starts the API again (waits for /ready); `env` adds to the system's environment for this start. */
  startApi(env?: Readonly<Record<string, string>>): Promise<void>;
  killApi(signal: NodeJS.Signals): Promise<void>;
  apiExited(): Promise<void>;
  apiPid(): number | null;
  /** Stop the dev server (SIGINT, waited for) and start it again on the same file and port. */
  stopTemporal(): Promise<void>;
  startTemporal(): Promise<void>;
  /** Stops every process and removes the system's temp folder. */
  stop(): Promise<void>;
}

export const SEARCH_ATTRIBUTE_NAMES = [
  'CertflowPartyId',
  'CertflowPartyType',
  'CertflowJurisdiction',
  'CertflowState',
  'CertflowCampaign',
] as const;

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

export interface SystemOptions {
  readonly databaseUrl: string;
  readonly policy: unknown;
  /** Extra environment for the worker and the API. */
  readonly env?: Readonly<Record<string, string>>;
}

function logOutput(name: string, child: ChildProcess): void {
  const out = (chunk: Buffer) => process.env['SYSTEM_VERBOSE'] && process.stdout.write(`[${name}] ${chunk.toString()}`);
  child.stdout?.on('data', out);
  child.stderr?.on('data', out);
}

/** A Temporal dev server on a SQLite file in `dir`, with the search attributes registered. */
function temporalServer(dir: string, port: number) {
  const address = `127.0.0.1:${port}`;
  let server: ChildProcess | null = null;
  return {
    address,
    start: async () => {
      server = spawn(
        temporalBinaries().cli,
        [
          ...['server', 'start-dev', '--headless', '--port', String(port)],
          ...['--db-filename', path.join(dir, 'temporal.db'), '--log-level', 'error'],
          ...SEARCH_ATTRIBUTE_NAMES.flatMap((n) => ['--search-attribute', `${n}=Keyword`]),
        ],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      logOutput('temporal', server);
      const probe = await retry(() => Connection.connect({ address }), 60_000);
      await retry(() => probe.workflowService.getSystemInfo({}), 60_000);
      await probe.close();
    },
    stop: () => stopChild(server, 'SIGINT'),
  };
}

/** Runs an app's main.ts under @swc-node/register with the system's environment. */
function spawnApp(app: 'api' | 'worker', env: NodeJS.ProcessEnv): ChildProcess {
  const root = workspaceRoot();
  const child = spawn(process.execPath, ['-r', '@swc-node/register', path.join(root, `apps/${app}/src/main.ts`)], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  logOutput(app, child);
  return child;
}

/** A child process that can be started, killed and awaited; `ready` resolves once it serves. */
function appProcess(app: 'api' | 'worker', env: NodeJS.ProcessEnv, ready: (child: ChildProcess) => Promise<void>) {
  let child: ChildProcess | null = null;
  const running = (c: ChildProcess | null): c is ChildProcess => !!c && c.exitCode === null && c.signalCode === null;
  const exited = async () => {
    const c = child;
    if (running(c)) await new Promise((r) => c.once('exit', r));
  };
  return {
    pid: () => child?.pid ?? null,
    start: async (extra: Readonly<Record<string, string>> = {}) => {
      child = spawnApp(app, { ...env, ...extra });
      await ready(child);
    },
    kill: async (signal: NodeJS.Signals) => {
      const c = child;
      if (!running(c)) return;
      await new Promise((r) => {
        c.once('exit', r);
        c.kill(signal);
      });
    },
    exited,
    /** SIGINT, then SIGKILL after 15 s. */
    stop: () => stopChild(child, 'SIGINT'),
  };
}

function workerProcess(env: NodeJS.ProcessEnv) {
  return appProcess(
    'worker',
    env,
    (w) =>
      new Promise<void>((resolve, reject) => {
        const ready = (c: Buffer) => c.toString().includes('RUNNING') && resolve();
        w.stdout?.on('data', ready);
        w.stderr?.on('data', ready);
        w.once('exit', (code) => reject(new Error(`worker exited ${code}`)));
      }),
  );
}

function apiProcess(env: NodeJS.ProcessEnv, url: string) {
  return appProcess('api', env, async (api) => {
    await retry(async () => {
      if (api.exitCode !== null || api.signalCode !== null) throw new Error('the API exited');
      const r = await fetch(`${url}/ready`);
      if (!r.ok) throw new Error(`ready: ${r.status}`);
    }, 90_000);
  });
}

export async function startSystem(options: SystemOptions): Promise<System> {
  const root = workspaceRoot();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'certflow-system-'));
  const cleanups: (() => Promise<void> | void)[] = [() => rmSync(dir, { recursive: true, force: true })];
  const stop = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  };
  try {
    const policyFile = path.join(dir, 'policy.json');
    writeFileSync(policyFile, JSON.stringify(options.policy));
    const [temporalPort, apiPort] = [await freePort(), await freePort()];
    const temporalDev = temporalServer(dir, temporalPort);
    cleanups.push(temporalDev.stop);
    await temporalDev.start();
    // One bundle for every worker start (a restart then takes a second, not a webpack run).
    const bundlePath = path.join(dir, 'workflow-bundle.js');
    writeFileSync(bundlePath, (await bundleWorkflows()).code);
    const env = {
      ...process.env,
      WORKFLOW_BUNDLE: bundlePath,
      SWC_NODE_PROJECT: path.join(root, 'tsconfig.base.json'),
      DATABASE_URL: options.databaseUrl,
      TEMPORAL_ADDRESS: temporalDev.address,
      CERTFLOW_POLICY: policyFile,
      PORT: String(apiPort),
      // Drills hold a step across a worker restart or a PostgreSQL outage of 30 s and expect its
      // answer; a test of the deadline itself sets a short one.
      CERTFLOW_STEP_DEADLINE_SECONDS: '60',
      ...options.env,
    };
    const connection = await Connection.connect({ address: temporalDev.address });
    cleanups.push(() => connection.close());
    const worker = workerProcess(env);
    cleanups.push(() => worker.kill('SIGINT'));
    await worker.start();
    const url = `http://127.0.0.1:${apiPort}`;
    const api = apiProcess(env, url);
    cleanups.push(api.stop);
    await api.start();
    return {
      api: url,
      temporal: new Client({ connection }),
      temporalAddress: temporalDev.address,
      env,
      startWorker: worker.start,
      killWorker: worker.kill,
      workerExited: worker.exited,
      workerPid: worker.pid,
      startApi: api.start,
      killApi: api.kill,
      apiExited: api.exited,
      apiPid: api.pid,
      stopTemporal: temporalDev.stop,
      startTemporal: temporalDev.start,
      stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}

/** Signal a child and wait for it to exit; SIGKILL after 15 s. */
export async function stopChild(child: ChildProcess | null, signal: NodeJS.Signals): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  await new Promise((r) => {
    const t = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.once('exit', () => {
      clearTimeout(t);
      r(undefined);
    });
    child.kill(signal);
  });
}

export async function retry<T>(fn: () => Promise<T>, timeoutMs: number, intervalMs = 300): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await fn();
    } catch (e) {
      if (Date.now() > until) throw e;
      await new Promise((r) => setTimeout(r, intervalMs));
    }
  }
}
