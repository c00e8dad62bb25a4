import { ApplicationError } from '@certflow/application';
import { decideParty, initialPartyState, loadPolicy, type Actor, type PartyDetails } from '@certflow/domain';
import { createDataSource, migrate, PostgresEventStore, Projector } from '@certflow/event-store';
import changzhou from '@certflow/policies/changzhou-2023.json';
import { createTestDatabase, type TestDatabase } from '@certflow/postgres/testing';
import type { DataSource } from 'typeorm';
import { PartyViewRepository } from './party-view.repository';
import { ListPartiesUseCase } from './use-cases/list-parties.use-case';

const policy = loadPolicy(changzhou);
const staff: Actor = { id: 'staff-1', role: 'FINANCE_STAFF' };
const T0 = '2023-09-01T09:00:00+08:00';

const budgetUnit: PartyDetails = {
  partyId: 'bu-1',
  partyType: 'BUDGET_UNIT',
  name: '常州市某局',
  jurisdiction: 'changzhou',
  identifier: '11320400014000001T',
  supervisingUnitId: 'bu-0',
  contact: { name: '张三', phone: '0519-85681829' },
};

const expert: PartyDetails = {
  partyId: 'ex-1',
  partyType: 'EVALUATION_EXPERT',
  name: '李四',
  jurisdiction: 'wujin',
  identifier: '320402198001011234',
  supervisingUnitId: null,
  contact: { name: '李四', phone: '13812345678' },
};

function thrownBy(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  return undefined;
}

let database: TestDatabase;
let db: DataSource;
let parties: PartyViewRepository;

/** Registers the party as the domain decides it and projects the log. */
async function register(party: PartyDetails): Promise<void> {
  const events = decideParty({ type: 'RegisterParty', at: T0, actor: staff, party }, initialPartyState, policy);
  await new PostgresEventStore(db).append(`party-${party.partyId}`, events, {
    expectedVersion: 'no-stream',
    idempotencyKey: `party-${party.partyId}:1`,
  });
}

beforeAll(async () => {
  database = await createTestDatabase('parties');
  await migrate(database.url);
  db = await createDataSource(database.url, { role: 'certflow_app' }).initialize();
  parties = new PartyViewRepository(db);
  await register(budgetUnit);
  await register(expert);
  await new Projector(db, new PostgresEventStore(db)).catchUp();
});

afterAll(async () => {
  await db?.destroy();
  await database?.drop();
});

describe('PartyViewRepository', () => {
  it('lists every projected party by id, with its one set allowed and none open', async () => {
    expect(await parties.list({})).toEqual([
      {
        partyId: 'bu-1',
        partyType: 'BUDGET_UNIT',
        name: '常州市某局',
        jurisdiction: 'changzhou',
        openSets: 0,
        allowedSets: 1,
        version: 1,
      },
      {
        partyId: 'ex-1',
        partyType: 'EVALUATION_EXPERT',
        name: '李四',
        jurisdiction: 'wujin',
        openSets: 0,
        allowedSets: 1,
        version: 1,
      },
    ]);
  });

  it('filters by jurisdiction and by party type, together or apart', async () => {
    expect((await parties.list({ jurisdiction: 'wujin' })).map((p) => p.partyId)).toEqual(['ex-1']);
    expect((await parties.list({ partyType: 'BUDGET_UNIT' })).map((p) => p.partyId)).toEqual(['bu-1']);
    expect(await parties.list({ jurisdiction: 'wujin', partyType: 'BUDGET_UNIT' })).toEqual([]);
  });
});

describe('ListPartiesUseCase', () => {
  it('refuses an unknown party type before it reaches the database, naming the field', () => {
    const refusal = thrownBy(() => new ListPartiesUseCase(parties).execute({ partyType: 'MINISTRY' }));
    expect(refusal).toBeInstanceOf(ApplicationError);
    expect(refusal).toMatchObject({ code: 'INVALID_FIELD', errors: [{ path: 'partyType' }] });
  });

  it('takes an empty filter value as no filter', async () => {
    expect((await new ListPartiesUseCase(parties).execute({ jurisdiction: '', partyType: '' })).length).toBe(2);
  });
});
