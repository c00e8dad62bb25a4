import type { RunningPostgres } from '../lib/embedded-postgres';

export default async function globalTeardown(): Promise<void> {
  await (globalThis as { __certflowPostgres?: RunningPostgres }).__certflowPostgres?.stop();
}
