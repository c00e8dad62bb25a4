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
 * A TypeORM DataSource for the event store. The schema comes only from the migrations; nothing is
 * ever synchronised. `role` (e.g. certflow_app) is assumed on every pooled connection.
 */
export function createDataSource(
  url: string,
  options: { readonly role?: string; readonly poolSize?: number } = {},
): DataSource {
  return new DataSource({
    type: 'postgres',
    url,
    synchronize: false,
    migrationsRun: false,
    migrations: MIGRATIONS,
    migrationsTableName: 'typeorm_migrations',
    migrationsTransactionMode: 'each',
    extra: {
      max: options.poolSize ?? 20,
      ...(options.role ? { options: `-c role=${options.role}` } : {}),
    },
  });
}

export async function migrate(url: string): Promise<string[]> {
  const ds = await createDataSource(url, { poolSize: 2 }).initialize();
  try {
    const ran = await ds.runMigrations({ transaction: 'each' });
    return ran.map((m) => m.name);
  } finally {
    await ds.destroy();
  }
}

export async function revertLastMigration(url: string): Promise<void> {
  const ds = await createDataSource(url, { poolSize: 2 }).initialize();
  try {
    await ds.undoLastMigration({ transaction: 'each' });
  } finally {
    await ds.destroy();
  }
}
