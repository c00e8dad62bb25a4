import { CredentialSetViewRepository } from '@certflow/credential-sets';
import {
  decideCredentialSet,
  foldCredentialSet,
  loadPolicy,
  type Actor,
  type CredentialSetCommand,
  type CredentialSetEvent,
  type PartyType,
} from '@certflow/domain';
import { createDataSource, migrate, PostgresEventStore, Projector } from '@certflow/event-store';
import changzhou from '@certflow/policies/changzhou-2023.json';
import { createTestDatabase, type TestDatabase } from '@certflow/postgres/testing';
import type { DataSource } from 'typeorm';
import { DrawFeeStatementsUseCase } from './draw-fee-statements.use-case';

const policy = loadPolicy(changzhou);
const staff: Actor = { id: 'zhang', role: 'FINANCE_STAFF' };
const supervisor: Actor = { id: 'sup', role: 'SUPERVISING_UNIT' };
const sh = (local: string) => `${local}+08:00`;
const component = (serial: string) => ({
  serial,
  issuer: 'JSCA',
  validFrom: sh('2023-09-08T09:00:00'),
  validUntil: sh('2024-09-08T09:00:00'),
});

/** A new budget unit's set applied, collected, filed and issued, as the domain decides it. */
function issued(setId: string, partyId: string, jurisdiction: string, partyType: PartyType): CredentialSetEvent[] {
  const commands: CredentialSetCommand[] = [
    {
      type: 'ApplyForCredentialSet',
      at: sh('2023-09-02T09:00:00'),
      actor: supervisor,
      setId,
      party: { partyId, partyType, jurisdiction, supervisingUnitId: 'sup' },
      kind: 'NEW',
      oldCredential: null,
      firstSetOfParty: true,
    },
    { type: 'CollectApplication', at: sh('2023-09-03T09:00:00'), actor: supervisor },
    { type: 'AcceptFiling', at: sh('2023-09-04T09:00:00'), actor: staff },
    {
      type: 'IssueCredentialSet',
      at: sh('2023-09-08T09:00:00'),
      actor: staff,
      ca: component(`CA-${setId}`),
      seal: component(`SEAL-${setId}`),
    },
  ];
  return commands.reduce<CredentialSetEvent[]>(
    (events, c) => [...events, ...decideCredentialSet(c, foldCredentialSet(events), policy)],
    [],
  );
}

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
