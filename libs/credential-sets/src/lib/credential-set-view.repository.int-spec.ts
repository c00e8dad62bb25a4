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
import { CredentialSetViewRepository } from './credential-set-view.repository';

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

/** A set's history up to `until` steps (apply, collect, accept filing, issue), decided by the domain. */
function history(setId: string, partyId: string, jurisdiction: string, until: number): CredentialSetEvent[] {
  const commands: CredentialSetCommand[] = [
    {
      type: 'ApplyForCredentialSet',
      at: sh('2023-09-02T09:00:00'),
      actor: supervisor,
      setId,
      party: { partyId, partyType: 'BUDGET_UNIT', jurisdiction, supervisingUnitId: 'sup' },
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
  return commands
    .slice(0, until)
    .reduce<CredentialSetEvent[]>(
      (events, c) => [...events, ...decideCredentialSet(c, foldCredentialSet(events), policy)],
      [],
    );
}

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
