import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { EventLog1763800000000 } from './migrations/1763800000000-event-log';
import { Projections1763800100000 } from './migrations/1763800100000-projections';
import { Launches1763900000000 } from './migrations/1763900000000-launches';
import { IdempotencyKeys1764100000000 } from './migrations/1764100000000-idempotency-keys';

export const MIGRATIONS = [
  EventLog1763800000000,
  Projections1763800100000,
  Launches1763900000000,
  IdempotencyKeys1764100000000,
];

/**
 * How long PostgreSQL may take before we stop waiting, and how many connections a process holds.
 * A server that hangs (or a lock held forever) then fails a request within seconds instead of
 * wedging it; `/ready` and the steps answer 503. 0 turns a timeout off.
 */
export interface PoolSettings {
  /** Connections in the pool (default 20). */
  readonly poolSize?: number;
  /** Giving up on opening a connection (default 5 s). */
  readonly connectTimeoutMs?: number;
  /** The server cancels a statement running longer (default 30 s; lock waits included). */
  readonly statementTimeoutMs?: number;
  /** The server ends a session idle inside an open transaction for longer (default 60 s). */
  readonly idleInTransactionTimeoutMs?: number;
  /** The client gives up on a query's answer (default: the statement timeout + 5 s): a hung server. */
  readonly queryTimeoutMs?: number;
}

export const POOL_DEFAULTS = {
  poolSize: 20,
  connectTimeoutMs: 5_000,
  statementTimeoutMs: 30_000,
  idleInTransactionTimeoutMs: 60_000,
} as const;

/**
 * The pool settings from the environment: CERTFLOW_DB_POOL_MAX, CERTFLOW_DB_CONNECT_TIMEOUT_MS,
 * CERTFLOW_DB_STATEMENT_TIMEOUT_MS, CERTFLOW_DB_IDLE_IN_TRANSACTION_TIMEOUT_MS,
 * CERTFLOW_DB_QUERY_TIMEOUT_MS; a value that is not a whole number >= 0 is refused, naming it.
 */
export function poolSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): PoolSettings {
  const read = (name: string): number | undefined => {
    const text = env[name];
    if (text === undefined || text === '') return undefined;
    if (!/^\d+$/.test(text)) throw new Error(`${name}=${text}: a whole number (milliseconds, or a count)`);
    return Number(text);
  };
  const entries = {
    poolSize: read('CERTFLOW_DB_POOL_MAX'),
    connectTimeoutMs: read('CERTFLOW_DB_CONNECT_TIMEOUT_MS'),
    statementTimeoutMs: read('CERTFLOW_DB_STATEMENT_TIMEOUT_MS'),
    idleInTransactionTimeoutMs: read('CERTFLOW_DB_IDLE_IN_TRANSACTION_TIMEOUT_MS'),
    queryTimeoutMs: read('CERTFLOW_DB_QUERY_TIMEOUT_MS'),
  };
  return Object.fromEntries(Object.entries(entries).filter(([, v]) => v !== undefined));
}

/** The pg pool's options for these settings (TypeORM hands `extra` to pg's Pool). */
export function poolOptions(settings: PoolSettings, role?: string): Record<string, unknown> {
  const statement = settings.statementTimeoutMs ?? POOL_DEFAULTS.statementTimeoutMs;
  const query = settings.queryTimeoutMs ?? (statement > 0 ? statement + 5_000 : 0);
  return {
    max: settings.poolSize ?? POOL_DEFAULTS.poolSize,
    connectionTimeoutMillis: settings.connectTimeoutMs ?? POOL_DEFAULTS.connectTimeoutMs,
    statement_timeout: statement,
    idle_in_transaction_session_timeout:
      settings.idleInTransactionTimeoutMs ?? POOL_DEFAULTS.idleInTransactionTimeoutMs,
    ...(query > 0 ? { query_timeout: query } : {}),
    ...(role ? { options: `-c role=${role}` } : {}),
  };
}

/**
 * A TypeORM DataSource for the event store. The schema comes only from the migrations; nothing is
 * ever synchronised. `role` (e.g. certflow_app) is assumed on every pooled connection.
 */
export function createDataSource(url: string, options: PoolSettings & { readonly role?: string } = {}): DataSource {
  return new DataSource({
    type: 'postgres',
    url,
    synchronize: false,
    migrationsRun: false,
    migrations: MIGRATIONS,
    migrationsTableName: 'typeorm_migrations',
    migrationsTransactionMode: 'each',
    extra: poolOptions(options, options.role),
  });
}

// Migrations run without a statement timeout: an index build on a large log may take minutes.
const MIGRATION_POOL: PoolSettings = { poolSize: 2, statementTimeoutMs: 0, idleInTransactionTimeoutMs: 0 };

export async function migrate(url: string): Promise<string[]> {
  const ds = await createDataSource(url, MIGRATION_POOL).initialize();
  try {
    const ran = await ds.runMigrations({ transaction: 'each' });
    return ran.map((m) => m.name);
  } finally {
    await ds.destroy();
  }
}

export async function revertLastMigration(url: string): Promise<void> {
  const ds = await createDataSource(url, MIGRATION_POOL).initialize();
  try {
    await ds.undoLastMigration({ transaction: 'each' });
  } finally {
    await ds.destroy();
  }
}
