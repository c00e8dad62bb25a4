import { createTestDatabase, type TestDatabase } from '@certflow/postgres/testing';
import { Client } from 'pg';
import { migrate } from './data-source';
import { CREDENTIAL_SET_VIEW, PARTY_VIEW, type ReadModelTable } from './read-models';

let database: TestDatabase;
let su: Client;

beforeAll(async () => {
  database = await createTestDatabase('readmodels');
  await migrate(database.url);
  su = new Client({ connectionString: database.url });
  await su.connect();
});

afterAll(async () => {
  await su?.end();
  await database?.drop();
});

/** The table as the migrations made it: column → type, in table order. */
async function migrated(table: string): Promise<[string, string][]> {
  const { rows } = await su.query<{ name: string; type: string }>(
    `SELECT attname AS name, format_type(atttypid, atttypmod) AS type FROM pg_attribute
      WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum`,
    [table],
  );
  return rows.map((r) => [r.name, r.type]);
}

const SPELLED: Readonly<Record<string, string>> = {
  timestamptz: 'timestamp with time zone',
  'text[]': 'text[]',
};

describe('the read-model table definitions the projector and the repositories share', () => {
  it.each([CREDENTIAL_SET_VIEW, PARTY_VIEW] as ReadModelTable<unknown>[])('match the migrated $name', async (table) => {
    const defined = Object.entries<string>(table.columns).map(([name, type]) => [name, SPELLED[type] ?? type]);
    expect(defined).toEqual(await migrated(table.name));
  });
});
