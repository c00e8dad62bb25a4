import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/** A throwaway database on the test server, dropped at the end. */
export interface TestDatabase {
  /** Superuser URL to the new database. */
  readonly url: string;
  drop(): Promise<void>;
}

export async function createTestDatabase(prefix = 'test'): Promise<TestDatabase> {
  const admin = process.env['CERTFLOW_TEST_ADMIN_URL'];
  if (!admin) throw new Error('CERTFLOW_TEST_ADMIN_URL is not set: run integration tests through their jest config');
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  const client = new Client({ connectionString: admin });
  await client.connect();
  await client.query(`CREATE DATABASE ${name}`);
  await client.end();
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new Client({ connectionString: admin });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}
