import { createDataSource, migrate, PostgresEventStore, verifyLog } from '@certflow/event-store';
import { createTestDatabase, type TestDatabase } from '@certflow/postgres/testing';
import type { DataSource } from 'typeorm';
import {
  actors,
  apiClient,
  budgetUnit,
  components,
  counts as writtenCounts,
  expert,
  oldCredential,
  rehearsalPolicy,
  startSystem,
  supplier,
  uniqueId,
  type System,
} from '@certflow/testing';

// The running system over HTTP: real API and worker processes, a Temporal dev server, PostgreSQL.
// Real time here, so the rehearsal is placed with today inside the transition window, and every day
// counts as a workday (a weekend run must not make the supplier's window refuse). Each test makes its
// own parties and sets (unique ids), so the tests do not depend on their order.
let database: TestDatabase;
let db: DataSource;
let store: PostgresEventStore;
let system: System;

const { finance, supervisor, window, contact } = actors;

beforeAll(async () => {
  database = await createTestDatabase('e2e');
  await migrate(database.url);
  db = await createDataSource(database.url).initialize();
  store = new PostgresEventStore(db);
  system = await startSystem({ databaseUrl: database.url, policy: rehearsalPolicy(14) });
});

afterAll(async () => {
  await system?.stop();
  await db?.destroy();
  await database?.drop();
});

const { http, ok } = apiClient(() => system.api, finance);

const counts = () => writtenCounts(db, system.temporal);

describe('three parties through their lifecycles over HTTP', () => {
  it('drives a budget unit, a supplier and an expert, surviving a worker killed with SIGKILL', async () => {
    const [bu, sup, exp] = [uniqueId('bu'), uniqueId('sup'), uniqueId('exp')];
    await ok('POST', '/parties', budgetUnit(bu));
    await ok('POST', '/parties', supplier(sup), window);
    await ok('POST', '/parties', expert(exp));

    // Budget unit: replacement through its supervising unit.
    await ok(
      'POST',
      '/credential-sets',
      { setId: `${bu}-a`, partyId: bu, kind: 'REPLACEMENT', oldCredential: oldCredential(`GX-OLD-${bu}`) },
      supervisor,
    );
    await ok('POST', `/credential-sets/${bu}-a/collect`, undefined, supervisor);
    await ok('POST', `/credential-sets/${bu}-a/filing`, { decision: 'ACCEPT' });

    // The worker dies mid-lifecycle; a step sent meanwhile waits, and completes once it is back.
    await system.killWorker('SIGKILL');
    const issuing = ok('POST', `/credential-sets/${bu}-a/issue`, components(`${bu}-a`));
    await new Promise((r) => setTimeout(r, 1500));
    await system.startWorker();
    const issued = await issuing;
    expect(issued.state.status).toBe('ISSUED');
    await ok('POST', `/credential-sets/${bu}-a/unbind-old`, { platform: 'SUCAIYUN' }, contact);
    await ok('POST', `/credential-sets/${bu}-a/bind-new`, { platform: 'SUCAIYUN' }, contact);

    // Supplier: new set at the service window, paid by the supplier.
    await ok('POST', '/credential-sets', { setId: `${sup}-a`, partyId: sup, kind: 'NEW' }, window);
    await ok('POST', `/credential-sets/${sup}-a/filing`, { decision: 'ACCEPT' }, window);
    await ok('POST', `/credential-sets/${sup}-a/issue`, components(`${sup}-a`), window);
    await ok('POST', `/credential-sets/${sup}-a/bind-new`, { platform: 'SUCAIYUN' }, contact);

    // Expert: first set paid by finance, then lost and reissued (paid by the expert), then bound again.
    await ok('POST', '/credential-sets', { setId: `${exp}-a`, partyId: exp, kind: 'NEW' });
    await ok('POST', `/credential-sets/${exp}-a/filing`, { decision: 'ACCEPT' });
    await ok('POST', `/credential-sets/${exp}-a/issue`, components(`${exp}-a`));
    await ok('POST', `/credential-sets/${exp}-a/bind-new`, { platform: 'SUCAIYUN' }, contact);
    await ok('POST', `/credential-sets/${exp}-a/reissue`, { reason: 'LOST', ...components(`${exp}-a-r`) });
    await ok('POST', `/credential-sets/${exp}-a/bind-new`, { platform: 'SUCAIYUN' }, contact);

    const types = async (setId: string) =>
      (await store.readStreamToArray(`credential-set-${setId}`)).map((e) => e.type);
    expect(await types(`${bu}-a`)).toEqual([
      'CredentialSetApplied',
      'ApplicationCollected',
      'FilingAccepted',
      'CredentialSetIssued',
      'OldCredentialUnbound',
      'NewCredentialBound',
    ]);
    expect(await types(`${sup}-a`)).toEqual([
      'CredentialSetApplied',
      'FilingAccepted',
      'CredentialSetIssued',
      'NewCredentialBound',
    ]);
    expect(await types(`${exp}-a`)).toEqual([
      'CredentialSetApplied',
      'FilingAccepted',
      'CredentialSetIssued',
      'NewCredentialBound',
      'CredentialSetReissued',
      'NewCredentialBound',
    ]);
    expect((await verifyLog(db, null)).ok).toBe(true);

    const state = await ok('GET', `/credential-sets/${bu}-a?consistency=strong`);
    expect(state.state).toMatchObject({ status: 'ISSUED', boundPlatforms: ['SUCAIYUN'] });
    const history = (await ok('GET', `/credential-sets/${bu}-a/history`)) as unknown as {
      type: string;
      actor: { role: string };
    }[];
    expect(history.map((e) => e.actor.role)).toEqual([
      'SUPERVISING_UNIT',
      'SUPERVISING_UNIT',
      'FINANCE_STAFF',
      'FINANCE_STAFF',
      'PARTY',
      'PARTY',
    ]);
    const asOf = await ok(
      'GET',
      `/credential-sets/${bu}-a?asOf=${encodeURIComponent(history.length ? new Date(Date.parse((await store.readStreamToArray(`credential-set-${bu}-a`))[2]!.recordedAt)).toISOString() : '')}&basis=recorded`,
    );
    expect(asOf.state.status).toBe('FILED');

    // The Web UI can find sets by party and state (search attributes, indexed asynchronously).
    for (let i = 0; ; i++) {
      const found: string[] = [];
      for await (const w of system.temporal.workflow.list({
        query: `CertflowPartyId = "${bu}" AND CertflowState = "ISSUED"`,
      }))
        found.push(w.workflowId);
      if (found.length === 1) {
        expect(found).toEqual([`credential-set-${bu}-a`]);
        break;
      }
      if (i > 40) throw new Error(`search attributes not indexed: ${JSON.stringify(found)}`);
      await new Promise((r) => setTimeout(r, 250));
    }

    const statements = (await ok('GET', '/fee-statements')) as unknown as {
      payer: { kind: string; jurisdiction?: string; partyId?: string };
      totalFen: number;
    }[];
    expect(statements).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ payer: { kind: 'FINANCE', jurisdiction: 'wujin' }, totalFen: 11520 }),
        expect.objectContaining({ payer: { kind: 'SELF', partyId: sup }, totalFen: 19200 }),
        expect.objectContaining({ payer: { kind: 'FINANCE', jurisdiction: 'tianning' }, totalFen: 19200 }),
        expect.objectContaining({ payer: { kind: 'SELF', partyId: exp }, totalFen: 11520 }),
      ]),
    );
  });
});

describe("a party's additional-set filings over HTTP", () => {
  it('are decided with the same body as a set filing: {decision, reason}', async () => {
    const bu = uniqueId('bu');
    await ok('POST', '/parties', budgetUnit(bu));
    const filing = (filingId: string) => ({ filingId, additionalSets: 1, reason: '两个业务科室分别使用' });
    await ok('POST', `/parties/${bu}/filings`, filing('f-1'), supervisor);
    await ok('POST', `/parties/${bu}/filings`, filing('f-2'), supervisor);
    await ok('POST', `/parties/${bu}/filings/f-1/decision`, { decision: 'ACCEPT' });
    const party = await ok('POST', `/parties/${bu}/filings/f-2/decision`, { decision: 'REJECT', reason: '材料不全' });
    expect(party['filings']).toMatchObject({ 'f-1': { status: 'APPROVED' }, 'f-2': { status: 'REJECTED' } });
    const old = await http('POST', `/parties/${bu}/filings/f-1/decision`, { approve: true }, finance);
    expect(old.status).toBe(400);
    expect(old.body).toMatchObject({ rule: 'INVALID_FIELD' });
  });
});

describe('bad input over HTTP', () => {
  // Its own supplier and budget unit (not in wujin or tianning, whose finance statements the lifecycle
  // test checks), each with a set issued and bound: `{sup}` and `{bu}` in the cases stand for them.
  const ids = { sup: uniqueId('sup'), bu: uniqueId('bu') };
  beforeAll(async () => {
    await ok('POST', '/parties', supplier(ids.sup), window);
    await ok('POST', '/credential-sets', { setId: `${ids.sup}-a`, partyId: ids.sup, kind: 'NEW' }, window);
    await ok('POST', `/credential-sets/${ids.sup}-a/filing`, { decision: 'ACCEPT' }, window);
    await ok('POST', `/credential-sets/${ids.sup}-a/issue`, components(`${ids.sup}-a`), window);
    await ok('POST', `/credential-sets/${ids.sup}-a/bind-new`, { platform: 'SUCAIYUN' }, contact);
    const bu = `${ids.bu}-a`;
    await ok('POST', '/parties', budgetUnit(ids.bu, 'jintan'));
    const old = oldCredential(`GX-OLD-${ids.bu}`);
    await ok(
      'POST',
      '/credential-sets',
      { setId: bu, partyId: ids.bu, kind: 'REPLACEMENT', oldCredential: old },
      supervisor,
    );
    await ok('POST', `/credential-sets/${bu}/collect`, undefined, supervisor);
    await ok('POST', `/credential-sets/${bu}/filing`, { decision: 'ACCEPT' });
    await ok('POST', `/credential-sets/${bu}/issue`, components(bu));
    await ok('POST', `/credential-sets/${bu}/unbind-old`, { platform: 'SUCAIYUN' }, contact);
    await ok('POST', `/credential-sets/${bu}/bind-new`, { platform: 'SUCAIYUN' }, contact);
  });
  const fill = <T>(value: T): T =>
    value === undefined
      ? value
      : (JSON.parse(JSON.stringify(value).replaceAll('{sup}', ids.sup).replaceAll('{bu}', ids.bu)) as T);

  it.each([
    ['malformed JSON', 'POST', '/parties', undefined, '{"partyId":', 400, 'MALFORMED_REQUEST'],
    [
      'an unknown field',
      'POST',
      '/parties',
      {
        partyId: 'x1',
        partyType: 'BUDGET_UNIT',
        name: 'n',
        jurisdiction: 'wujin',
        identifier: '113204120141863027',
        contact: { name: 'a', phone: '13912345678' },
        colour: 'red',
      },
      undefined,
      400,
      'INVALID_FIELD',
    ],
    [
      'an invalid credit code',
      'POST',
      '/parties',
      {
        partyId: 'x2',
        partyType: 'BUDGET_UNIT',
        name: 'n',
        jurisdiction: 'wujin',
        identifier: '113204120141863028',
        contact: { name: 'a', phone: '13912345678' },
      },
      undefined,
      400,
      'INVALID_FIELD',
    ],
    [
      'an invalid ID number',
      'POST',
      '/parties',
      {
        partyId: 'x3',
        partyType: 'EVALUATION_EXPERT',
        name: 'n',
        jurisdiction: 'wujin',
        identifier: '320402198002301234',
        contact: { name: 'a', phone: '13912345678' },
      },
      undefined,
      400,
      'INVALID_FIELD',
    ],
    [
      'a step out of order',
      'POST',
      '/credential-sets/{sup}-a/filing',
      { decision: 'ACCEPT' },
      undefined,
      409,
      'STEP_OUT_OF_ORDER',
    ],
    [
      'a platform that keeps the old credential',
      'POST',
      '/credential-sets/{bu}-a/unbind-old',
      { platform: 'CZ_PROCUREMENT' },
      undefined,
      400,
      'INVALID_FIELD',
    ],
    [
      'a step out of its window',
      'POST',
      '/credential-sets/{bu}-a/renew',
      undefined,
      undefined,
      422,
      'RENEWAL_WINDOW_NOT_OPEN',
    ],
    ['an unknown set', 'POST', '/credential-sets/nope/collect', undefined, undefined, 404, 'NOT_FOUND'],
    [
      'a NUL byte in a filter',
      'GET',
      '/credential-sets?jurisdiction=%00wujin',
      undefined,
      undefined,
      400,
      'INVALID_FIELD',
    ],
    [
      'an unknown party',
      'POST',
      '/credential-sets',
      { setId: 'nobody-a', partyId: 'nobody', kind: 'NEW' },
      undefined,
      404,
      'NOT_FOUND',
    ],
    [
      'a second set without a filing',
      'POST',
      '/credential-sets',
      { setId: '{sup}-b', partyId: '{sup}', kind: 'NEW' },
      undefined,
      409,
      'ONE_SET_PER_PARTY',
    ],
    [
      'the SYSTEM role from outside',
      'POST',
      '/credential-sets/{bu}-a/renew',
      undefined,
      undefined,
      403,
      'ROLE_NOT_ALLOWED',
    ],
  ] as const)(
    'refuses %s with the right 4xx naming it, writing nothing',
    async (_name, method, path, body, raw, status, rule) => {
      const before = await counts();
      const actor =
        rule === 'ROLE_NOT_ALLOWED'
          ? (['cron', 'SYSTEM'] as const)
          : path === '/credential-sets' && (body as { partyId?: string })?.partyId === '{sup}'
            ? window
            : finance;
      const r = await http(method, fill(path), fill(body), actor, raw !== undefined ? { raw } : {});
      expect(r.status).toBe(status);
      expect(r.type).toContain('application/problem+json');
      expect(r.body).toMatchObject({ status, rule });
      if (rule === 'INVALID_FIELD') expect(r.body['errors']?.[0]?.path).toEqual(expect.any(String));
      expect(await counts()).toEqual(before);
    },
  );
});

describe('the OpenAPI document', () => {
  it('is served and declares the problem responses of each step', async () => {
    const doc = await ok('GET', '/docs/openapi.json');
    const post = doc['paths']['/credential-sets']['post'] as {
      responses: Record<string, { content: Record<string, { schema: unknown }> }>;
    };
    expect(Object.keys(post.responses)).toEqual(
      expect.arrayContaining(['201', '400', '401', '403', '404', '409', '422', '503']),
    );
    expect(post.responses['409']?.content['application/problem+json']?.schema).toEqual({
      $ref: '#/components/schemas/Problem',
    });
  });
});
