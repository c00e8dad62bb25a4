import { foldCredentialSet, type CredentialSetEvent, type PartyType } from '@certflow/domain';
import { createDataSource, migrate, PostgresEventStore, Projector } from '@certflow/event-store';
import { createTestDatabase, type TestDatabase } from '@certflow/postgres/testing';
import type { DataSource } from 'typeorm';
import { credentialSetHistory } from '../testing';
import { CredentialSetViewRepository } from './credential-set-view.repository';

/** A set's history up to `until` steps (apply, collect, accept filing, issue), decided by the domain. */
const history = (setId: string, partyId: string, jurisdiction: string, until: number): CredentialSetEvent[] =>
  credentialSetHistory(setId, { partyId, jurisdiction, until });

let database: TestDatabase;
let db: DataSource;
let sets: CredentialSetViewRepository;

beforeAll(async () => {
  database = await createTestDatabase('credentialsets');
  await migrate(database.url);
  db = await createDataSource(database.url, { role: 'certflow_app' }).initialize();
  const store = new PostgresEventStore(db);
  sets = new CredentialSetViewRepository(db);
  const append = (setId: string, events: CredentialSetEvent[]) =>
    store.append(`credential-set-${setId}`, events, { expectedVersion: 'no-stream', idempotencyKey: `${setId}:1` });
  await append('a-1', history('a-1', 'unit-a', 'wujin', 4));
  await append('b-1', history('b-1', 'unit-b', 'changzhou', 1));
  await append('c-1', history('c-1', 'unit-c', 'wujin', 2));
  await new Projector(db, store).catchUp();
});

afterAll(async () => {
  await db?.destroy();
  await database?.drop();
});

describe('CredentialSetViewRepository', () => {
  it('lists every projected set by id with what the list shows', async () => {
    const [issued, ...others] = await sets.list({});
    expect(issued).toEqual({
      setId: 'a-1',
      partyId: 'unit-a',
      partyType: 'BUDGET_UNIT',
      jurisdiction: 'wujin',
      status: 'ISSUED',
      validUntil: new Date('2024-09-08T01:00:00.000Z'),
      boundPlatforms: [],
      blockedPlatforms: [],
      version: 4,
    });
    expect(others.map((s) => [s.setId, s.status])).toEqual([
      ['b-1', 'APPLIED'],
      ['c-1', 'COLLECTED'],
    ]);
  });

  it('filters by party, jurisdiction and status', async () => {
    const ids = async (filter: Parameters<CredentialSetViewRepository['list']>[0]) =>
      (await sets.list(filter)).map((s) => s.setId);
    expect(await ids({ partyId: 'unit-b' })).toEqual(['b-1']);
    expect(await ids({ jurisdiction: 'wujin' })).toEqual(['a-1', 'c-1']);
    expect(await ids({ jurisdiction: 'wujin', status: 'COLLECTED' })).toEqual(['c-1']);
    expect(await ids({ status: 'REVOKED' })).toEqual([]);
  });

  it("finds a set's state as the domain folds it, and nothing for a set it has not projected", async () => {
    const stored = await new PostgresEventStore(db).readStreamToArray('credential-set-a-1');
    const folded = foldCredentialSet(
      stored.map((e) => ({ type: e.type, at: e.at, actor: e.actor, data: e.data }) as CredentialSetEvent),
    );
    expect(await sets.findState('a-1')).toEqual(folded);
    expect(await sets.findState('nobody')).toBeNull();
  });

  it('gives the party type of each projected set in one query', async () => {
    expect(await sets.partyTypes(['a-1', 'c-1', 'nobody'])).toEqual(
      new Map<string, PartyType>([
        ['a-1', 'BUDGET_UNIT'],
        ['c-1', 'BUDGET_UNIT'],
      ]),
    );
  });
});
