import { CredentialSetViewRepository } from '@certflow/credential-sets';
import { credentialSetHistory } from '@certflow/credential-sets/testing';
import type { CredentialSetEvent, PartyType } from '@certflow/domain';
import { createDataSource, migrate, PostgresEventStore, Projector } from '@certflow/event-store';
import { createTestDatabase, type TestDatabase } from '@certflow/postgres/testing';
import type { DataSource } from 'typeorm';
import { DrawFeeStatementsUseCase } from './draw-fee-statements.use-case';

/** A new budget unit's set applied, collected, filed and issued, as the domain decides it. */
const issued = (setId: string, partyId: string, jurisdiction: string, partyType: PartyType): CredentialSetEvent[] =>
  credentialSetHistory(setId, { partyId, jurisdiction, partyType });

let database: TestDatabase;
let db: DataSource;
let store: PostgresEventStore;
let fees: DrawFeeStatementsUseCase;

const append = (setId: string, events: CredentialSetEvent[]) =>
  store.append(`credential-set-${setId}`, events, { expectedVersion: 'no-stream', idempotencyKey: `${setId}:1` });

beforeAll(async () => {
  database = await createTestDatabase('fees');
  await migrate(database.url);
  db = await createDataSource(database.url, { role: 'certflow_app' }).initialize();
  store = new PostgresEventStore(db);
  fees = new DrawFeeStatementsUseCase(store, new CredentialSetViewRepository(db));
  await append('a-1', issued('a-1', 'unit-a', 'wujin', 'BUDGET_UNIT'));
  await append('b-1', issued('b-1', 'unit-b', 'changzhou', 'BUDGET_UNIT'));
  await new Projector(db, store).catchUp();
});

afterAll(async () => {
  jest.restoreAllMocks();
  await db?.destroy();
  await database?.drop();
});

describe('DrawFeeStatementsUseCase', () => {
  it("draws one statement per payer from the fees recorded at issue, reading no set's stream", async () => {
    const reads = jest.spyOn(store, 'readStreamToArray');
    const statements = await fees.execute({});
    expect(reads).not.toHaveBeenCalled();
    reads.mockRestore();
    expect(statements.map((s) => s.payer)).toEqual([
      { kind: 'FINANCE', jurisdiction: 'changzhou' },
      { kind: 'FINANCE', jurisdiction: 'wujin' },
    ]);
    expect(statements[1]!.rows).toEqual([{ partyId: 'unit-a', kind: 'NEW', amountFen: expect.any(Number), items: 2 }]);
    expect(statements[1]!.totalFen).toBeGreaterThan(0);
  });

  it('narrows to one payer and to one jurisdiction', async () => {
    expect((await fees.execute({ payer: 'FINANCE:wujin' })).map((s) => s.rows[0]!.partyId)).toEqual(['unit-a']);
    expect((await fees.execute({ jurisdiction: 'changzhou' })).map((s) => s.rows[0]!.partyId)).toEqual(['unit-b']);
    expect(await fees.execute({ payer: 'SELF:unit-a' })).toEqual([]);
  });

  it('still counts a set the projector has not reached yet', async () => {
    await append('c-1', issued('c-1', 'unit-c', 'wujin', 'BUDGET_UNIT'));
    const [wujin] = await fees.execute({ payer: 'FINANCE:wujin' });
    expect(wujin!.rows.map((r) => r.partyId)).toEqual(['unit-a', 'unit-c']);
  });
});
