import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres, type RunningPostgres } from '../lib/embedded-postgres';

/**
 * Jest global setup for integration tests: one real PostgreSQL per test run (embedded, in a fresh
 * folder) unless DATABASE_URL names a server to use instead. Each test file makes its own database.
 */
export default async function globalSetup(): Promise<void> {
  if (process.env['DATABASE_URL']) {
    process.env['CERTFLOW_TEST_ADMIN_URL'] = process.env['DATABASE_URL'];
    return;
  }
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'certflow-pg-'));
  const port = 20000 + Math.floor(Math.random() * 20000);
  const pg = await startEmbeddedPostgres({ dataDir, port, database: 'postgres' });
  (globalThis as { __certflowPostgres?: RunningPostgres }).__certflowPostgres = pg;
  process.env['CERTFLOW_TEST_ADMIN_URL'] = pg.url;
}
