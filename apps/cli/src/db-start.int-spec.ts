import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

// `certflow db start` on a data folder only root may enter (what `mktemp -d` makes, 0700). As root,
// PostgreSQL runs as the user postgres: the data folder is opened for passing through (o+x), and a
// closed folder further up is refused with its name and the fix. Only meaningful as root.
const root = path.resolve(__dirname, '../../..');
const asRoot = process.getuid?.() === 0 ? it : it.skip;
const made: string[] = [];

afterAll(() => made.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function closedFolder(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'certflow-closed-'));
  made.push(dir);
  expect(statSync(dir).mode & 0o777).toBe(0o700);
  return dir;
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

/** Runs `db start` until it says it is running (then Ctrl-C) or exits on its own. */
async function dbStart(dataDir: string): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [path.join(root, 'tools/certflow.mjs'), 'db', 'start'], {
    cwd: root,
    env: { ...process.env, CERTFLOW_DATA_DIR: dataDir, CERTFLOW_PG_PORT: String(await freePort()) },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => {
    stdout += c.toString();
    if (stdout.includes('Ctrl-C stops it')) child.kill('SIGINT');
  });
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const status = await new Promise<number | null>((r) => child.on('close', r));
  return { status, stdout, stderr };
}

describe('db start on a folder only root may enter', () => {
  asRoot('opens the data folder for passing through and runs, printing no password', async () => {
    const dataDir = closedFolder();
    const run = await dbStart(dataDir);
    expect(run.stdout).toContain('PostgreSQL running: postgres://postgres:****@localhost:');
    expect(statSync(dataDir).mode & 0o777).toBe(0o701);
    expect(statSync(path.join(dataDir, 'postgres', 'PG_VERSION')).isFile()).toBe(true);
  });

  asRoot('refuses a closed folder further up, naming it and the fix', async () => {
    const closed = closedFolder();
    const dataDir = path.join(closed, 'certflow');
    mkdirSync(dataDir, { mode: 0o755 });
    const run = await dbStart(dataDir);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`cannot enter ${closed} (mode 700): run \`chmod o+x ${closed}\``);
    expect(statSync(closed).mode & 0o777).toBe(0o700);
  });
});
