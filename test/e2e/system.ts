import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { temporalBinaries, workspaceRoot } from '@certflow/temporal';

/** The running system for end-to-end tests: a Temporal dev server, the worker and the API, as processes. */
export interface System {
  readonly api: string;
  readonly temporal: Client;
  startWorker(): Promise<void>;
  killWorker(signal: NodeJS.Signals): Promise<void>;
  stop(): Promise<void>;
}

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

export async function startSystem(options: { databaseUrl: string; policy: unknown }): Promise<System> {
  const root = workspaceRoot();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'certflow-e2e-'));
  const policyFile = path.join(dir, 'policy.json');
  writeFileSync(policyFile, JSON.stringify(options.policy));
  const [temporalPort, apiPort] = [await freePort(), await freePort()];
  const { cli } = temporalBinaries();
  const children: ChildProcess[] = [];
  const log = (name: string, child: ChildProcess) => {
    const out = (chunk: Buffer) => process.env['E2E_VERBOSE'] && process.stdout.write(`[${name}] ${chunk.toString()}`);
    child.stdout?.on('data', out);
    child.stderr?.on('data', out);
  };
  const temporalServer = spawn(
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
      ...['CertflowPartyId', 'CertflowPartyType', 'CertflowJurisdiction', 'CertflowState', 'CertflowCampaign'].flatMap(
        (n) => ['--search-attribute', `${n}=Keyword`],
      ),
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  log('temporal', temporalServer);
  children.push(temporalServer);
  const env = {
    ...process.env,
    SWC_NODE_PROJECT: path.join(root, 'tsconfig.base.json'),
    DATABASE_URL: options.databaseUrl,
    TEMPORAL_ADDRESS: `127.0.0.1:${temporalPort}`,
    CERTFLOW_POLICY: policyFile,
    PORT: String(apiPort),
  };
  const connection = await retry(() => Connection.connect({ address: `127.0.0.1:${temporalPort}` }), 60_000);
  const temporal = new Client({ connection });
  await retry(() => temporal.workflowService.getSystemInfo({}), 60_000);

  let worker: ChildProcess | null = null;
  const startWorker = async () => {
    worker = spawn(process.execPath, ['-r', '@swc-node/register', path.join(root, 'apps/worker/src/main.ts')], {
      cwd: root,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    log('worker', worker);
    await new Promise<void>((resolve, reject) => {
      const ready = (c: Buffer) => c.toString().includes('RUNNING') && resolve();
      worker!.stdout!.on('data', ready);
      worker!.stderr!.on('data', ready);
      worker!.once('exit', (code) => reject(new Error(`worker exited ${code}`)));
    });
  };
  const killWorker = async (signal: NodeJS.Signals) => {
    const w = worker;
    if (!w || w.exitCode !== null) return;
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
  children.push(api);
  const url = `http://127.0.0.1:${apiPort}`;
  await retry(async () => {
    const r = await fetch(`${url}/ready`);
    if (!r.ok) throw new Error(`ready: ${r.status}`);
  }, 90_000);
  return {
    api: url,
    temporal,
    startWorker,
    killWorker,
    stop: async () => {
      await killWorker('SIGINT');
      for (const c of children.reverse()) {
        if (c.exitCode !== null) continue;
        await new Promise((r) => {
          const t = setTimeout(() => c.kill('SIGKILL'), 15_000);
          c.once('exit', () => {
            clearTimeout(t);
            r(undefined);
          });
          c.kill('SIGINT');
        });
      }
      await connection.close();
    },
  };
}

async function retry<T>(fn: () => Promise<T>, timeoutMs: number): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await fn();
    } catch (e) {
      if (Date.now() > until) throw e;
      await new Promise((r) => setTimeout(r, 300));
    }
  }
}
