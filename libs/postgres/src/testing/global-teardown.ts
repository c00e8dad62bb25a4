import { rmSync } from 'node:fs';
import type { TestPostgres } from './global-setup';

/** Stops the test run's PostgreSQL and removes its folder (jest runs this after failures too). */
export default async function globalTeardown(): Promise<void> {
  const state = globalThis as TestPostgres;
  await state.__certflowPostgres?.stop();
  if (state.__certflowPostgresDir) rmSync(state.__certflowPostgresDir, { recursive: true, force: true });
}
