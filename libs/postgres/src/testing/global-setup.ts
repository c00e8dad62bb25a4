import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { alive, postmasterPid, startEmbeddedPostgres, type RunningPostgres } from '../lib/embedded-postgres';

/** What global setup leaves for global teardown (same process, same globalThis). */
export interface TestPostgres {
  __certflowPostgres?: RunningPostgres;
  __certflowPostgresDir?: string;
}

/**
 * Jest global setup for integration tests: one real PostgreSQL per test run (embedded, in a fresh
 * folder that global teardown removes) unless DATABASE_URL names a server to use instead. Each test
 * file makes its own database.
 */
export default async function globalSetup(): Promise<void> {
  if (process.env['DATABASE_URL']) {
    process.env['CERTFLOW_TEST_ADMIN_URL'] = process.env['DATABASE_URL'];
    return;
  }
  removeAbandoned();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'certflow-pg-'));
  const state = globalThis as TestPostgres;
  state.__certflowPostgresDir = dataDir;
  try {
    const port = 20000 + Math.floor(Math.random() * 20000);
    state.__certflowPostgres = await startEmbeddedPostgres({ dataDir, port, database: 'postgres' });
  } catch (e) {
    rmSync(dataDir, { recursive: true, force: true });
    throw e;
  }
  process.env['CERTFLOW_TEST_ADMIN_URL'] = state.__certflowPostgres.url;
}

/**
 * Folders of earlier runs that were killed before their teardown (a timeout, Ctrl-C): no live
 * server and untouched for an hour. A running server, or one starting, is never touched.
 */
function removeAbandoned(): void {
  const tmp = os.tmpdir();
  for (const name of readdirSync(tmp)) {
    if (!name.startsWith('certflow-pg-')) continue;
    const dir = path.join(tmp, name);
    try {
      if (Date.now() - statSync(dir).mtimeMs < 3_600_000 || alive(postmasterPid(dir))) continue;
      rmSync(dir, { recursive: true, force: true });
    } catch {
      // another run removed it meanwhile
    }
  }
}
