import { createTestDatabase, type TestDatabase } from '@certflow/postgres/testing';
import type { DataSource } from 'typeorm';
import { createDataSource, poolOptions, poolSettingsFromEnv } from './data-source';

let database: TestDatabase;
const opened: DataSource[] = [];

beforeAll(async () => {
  database = await createTestDatabase('pool');
});

afterAll(async () => {
  for (const db of opened) await db.destroy();
  await database?.drop();
});

async function open(settings: Parameters<typeof createDataSource>[1]): Promise<DataSource> {
  const db = await createDataSource(database.url, settings).initialize();
  opened.push(db);
  return db;
}

describe('pool and statement timeouts', () => {
  it('reads them from the environment and refuses a value that is no whole number, naming it', () => {
    expect(
      poolSettingsFromEnv({
        CERTFLOW_DB_POOL_MAX: '8',
        CERTFLOW_DB_CONNECT_TIMEOUT_MS: '2000',
        CERTFLOW_DB_STATEMENT_TIMEOUT_MS: '0',
        CERTFLOW_DB_IDLE_IN_TRANSACTION_TIMEOUT_MS: '9000',
      }),
    ).toEqual({ poolSize: 8, connectTimeoutMs: 2000, statementTimeoutMs: 0, idleInTransactionTimeoutMs: 9000 });
    expect(() => poolSettingsFromEnv({ CERTFLOW_DB_STATEMENT_TIMEOUT_MS: '30s' })).toThrow(
      'CERTFLOW_DB_STATEMENT_TIMEOUT_MS=30s',
    );
  });

  it('has defaults: 20 connections, 5 s to connect, 30 s a statement, 60 s idle in a transaction', () => {
    expect(poolOptions({})).toEqual({
      max: 20,
      connectionTimeoutMillis: 5000,
      statement_timeout: 30000,
      idle_in_transaction_session_timeout: 60000,
      query_timeout: 35000,
    });
  });

  it('has the server cancel a statement past statement_timeout (57014), and the session keeps working', async () => {
    const db = await open({ statementTimeoutMs: 300, poolSize: 1 });
    await expect(db.query('SELECT pg_sleep(5)')).rejects.toMatchObject({ driverError: { code: '57014' } });
    expect(await db.query('SHOW statement_timeout')).toEqual([{ statement_timeout: '300ms' }]);
  });

  it('has the server end a session left idle inside a transaction', async () => {
    const db = await open({ idleInTransactionTimeoutMs: 300, poolSize: 1 });
    const runner = db.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    await new Promise((r) => setTimeout(r, 1000));
    await expect(runner.query('SELECT 1')).rejects.toThrow();
    await runner.release();
    expect(await db.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
  });

  it('runs migrations without a statement limit (an index build may take minutes)', () => {
    expect(poolOptions({ statementTimeoutMs: 0, idleInTransactionTimeoutMs: 0 })).not.toHaveProperty('query_timeout');
  });
});
