import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres, type RunningPostgres } from '../lib/embedded-postgres';

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
