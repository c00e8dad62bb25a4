import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { temporalBinaries } from '../lib/binaries';
import { bundleWorkflows } from '../lib/bundle';
import { workspaceRoot } from '../lib/paths';

/**
 * The running system as processes, for end-to-end tests, fault drills and benchmarks: a Temporal
 * dev server on a SQLite file, the worker and the API. Each part can be killed and started again.
 */
export interface System {
  readonly api: string;
  readonly temporal: Client;
  readonly temporalAddress: string;
  /** The environment the worker and the API run with (DATABASE_URL, TEMPORAL_ADDRESS, ...). */
  readonly env: NodeJS.ProcessEnv;
  startWorker(): Promise<void>;
  killWorker(signal: NodeJS.Signals): Promise<void>;
  workerPid(): number | null;
  apiPid(): number | null;
  /** Stop the dev server (SIGINT, waited for) and start it again on the same file and port. */
  stopTemporal(): Promise<void>;
  startTemporal(): Promise<void>;
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

export async function startSystem(options: SystemOptions): Promise<System> {
  const root = workspaceRoot();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'certflow-system-'));
  const policyFile = path.join(dir, 'policy.json');
  writeFileSync(policyFile, JSON.stringify(options.policy));
  const [temporalPort, apiPort] = [await freePort(), await freePort()];
  const temporalAddress = `127.0.0.1:${temporalPort}`;
  const { cli } = temporalBinaries();
  const log = (name: string, child: ChildProcess) => {
    const out = (chunk: Buffer) =>
      process.env['SYSTEM_VERBOSE'] && process.stdout.write(`[${name}] ${chunk.toString()}`);
    child.stdout?.on('data', out);
    child.stderr?.on('data', out);
  };

  let temporalServer: ChildProcess | null = null;
  const startTemporal = async () => {
    temporalServer = spawn(
      cli,
      [
        'server',
        'start-dev',
        '--headless',
        '--port',
        String(temporalPort),
        '--db-filename',
        path.join(dir, 'temporal.db'),
        '--log-level',
        'error',
        ...SEARCH_ATTRIBUTE_NAMES.flatMap((n) => ['--search-attribute', `${n}=Keyword`]),
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    log('temporal', temporalServer);
    const probe = await retry(() => Connection.connect({ address: temporalAddress }), 60_000);
    await retry(() => probe.workflowService.getSystemInfo({}), 60_000);
    await probe.close();
  };
  const stopTemporal = () => stopChild(temporalServer, 'SIGINT');
  await startTemporal();

  // One bundle for every worker start (a restart then takes a second, not a webpack run).
  const bundlePath = path.join(dir, 'workflow-bundle.js');
  writeFileSync(bundlePath, (await bundleWorkflows()).code);
  const env = {
    ...process.env,
    WORKFLOW_BUNDLE: bundlePath,
    SWC_NODE_PROJECT: path.join(root, 'tsconfig.base.json'),
    DATABASE_URL: options.databaseUrl,
    TEMPORAL_ADDRESS: temporalAddress,
    CERTFLOW_POLICY: policyFile,
    PORT: String(apiPort),
    ...options.env,
  };
  const connection = await Connection.connect({ address: temporalAddress });
  const temporal = new Client({ connection });

  let worker: ChildProcess | null = null;
  const startWorker = async () => {
    const w = spawn(process.execPath, ['-r', '@swc-node/register', path.join(root, 'apps/worker/src/main.ts')], {
      cwd: root,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    worker = w;
    log('worker', w);
    await new Promise<void>((resolve, reject) => {
      const ready = (c: Buffer) => c.toString().includes('RUNNING') && resolve();
      w.stdout.on('data', ready);
      w.stderr.on('data', ready);
      w.once('exit', (code) => reject(new Error(`worker exited ${code}`)));
    });
  };
  const killWorker = async (signal: NodeJS.Signals) => {
    const w = worker;
    if (!w || w.exitCode !== null || w.signalCode !== null) return;
    await new Promise((r) => {
      w.once('exit', r);
      w.kill(signal);
    });
  };
  await startWorker();
  const api = spawn(process.execPath, ['-r', '@swc-node/register', path.join(root, 'apps/api/src/main.ts')], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  log('api', api);
  const url = `http://127.0.0.1:${apiPort}`;
  await retry(async () => {
    const r = await fetch(`${url}/ready`);
    if (!r.ok) throw new Error(`ready: ${r.status}`);
  }, 90_000);
  return {
    api: url,
    temporal,
    temporalAddress,
    env,
    startWorker,
    killWorker,
    workerPid: () => worker?.pid ?? null,
    apiPid: () => api.pid ?? null,
    stopTemporal,
    startTemporal,
    stop: async () => {
      await killWorker('SIGINT');
      await stopChild(api, 'SIGINT');
      await connection.close();
      await stopTemporal();
    },
  };
}

/** Signal a child and wait for it to exit; SIGKILL after 15 s. */
async function stopChild(child: ChildProcess | null, signal: NodeJS.Signals): Promise<void> {
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
