import { createDataSource, migrate } from '@certflow/event-store';
import { createTestDatabase, type TestDatabase } from '@certflow/postgres/testing';
import type { DataSource } from 'typeorm';
import { ARRAY_LIMITS, ID_RULE, TEXT_LIMITS, TEXT_RULE, type ArrayField, type TextField } from '@certflow/domain';
import {
  actors,
  apiClient,
  budgetUnit,
  components,
  counts as writtenCounts,
  expert,
  oldCredential,
  rehearsalPolicy,
  retry,
  startSystem,
  uniqueId,
  type ActorHeader,
  type ApiResponse,
  type System,
} from '@certflow/testing';

// Poison input against the running system: every refusal is a 4xx naming the field and the rule,
// nothing reaches Temporal or PostgreSQL (event and workflow counts unchanged), and the same party
// or set then takes its next valid step at once. The body limit is small here so 413 is cheap
// (512 kb: a launch of 50,001 empty items still fits, so its size is refused by the array grammar).
let database: TestDatabase;
let db: DataSource;
let system: System;

const { finance, supervisor, contact } = actors;

beforeAll(async () => {
  database = await createTestDatabase('e2e_poison');
  await migrate(database.url);
  db = await createDataSource(database.url).initialize();
  system = await startSystem({
    databaseUrl: database.url,
    policy: rehearsalPolicy(14),
    env: { API_BODY_LIMIT: '512kb' },
  });
});

afterAll(async () => {
  await system?.stop();
  await db?.destroy();
  await database?.drop();
});

const { http, ok } = apiClient(() => system.api, finance);

const counts = () => writtenCounts(db, system.temporal);

/** The counts once the last valid step's own follow-ups (a revoked set telling its party) are written. */
async function settledCounts() {
  let last = await counts();
  for (let i = 0; i < 50; i++) {
    await new Promise((r) => setTimeout(r, 200));
    const now = await counts();
    if (now.events === last.events && now.workflows === last.workflows) return now;
    last = now;
  }
  return last;
}

/** Sends the poison, expects its status, rule and path, and that nothing was written or started. */
async function refused(send: () => Promise<ApiResponse>, status: number, rule: string, path?: string) {
  const before = await counts();
  const started = Date.now();
  const r = await send();
  expect(Date.now() - started).toBeLessThan(5_000);
  expect({ status: r.status, rule: r.body['rule'] }).toEqual({ status, rule });
  expect(r.type).toContain('application/problem+json');
  if (path !== undefined) expect(r.body['errors']).toEqual(expect.arrayContaining([expect.objectContaining({ path })]));
  expect(await counts()).toEqual(before);
  return r;
}

const BAD_IDS = ['a b', 'a#b', '证书', '_a', '__proto__', '-a', 'x'.repeat(129)];

/** A kind of field, by the grammar it is held to. */
type Kind = { readonly text: TextField } | 'id' | 'date' | { readonly array: ArrayField };

/** A step's route: its valid body, and every field of that body with the grammar it is held to. */
interface Step {
  readonly name: string;
  readonly path: string;
  readonly actor: ActorHeader;
  /** The body the poison goes into (for a decision: a rejection, whose reason is free text). */
  readonly body: () => Record<string, unknown>;
  readonly fields: readonly (readonly [path: string, kind: Kind])[];
  /** The valid step taken after the poison; `body` when absent. */
  readonly valid?: () => Record<string, unknown>;
  /** What the valid step sets off after its answer, awaited before the next step counts. */
  readonly settled?: () => Promise<void>;
}

const text = (field: TextField): Kind => ({ text: field });
const COMPONENT_FIELDS = (name: 'ca' | 'seal') =>
  [
    [`${name}.serial`, text('serial')],
    [`${name}.issuer`, text('issuer')],
    [`${name}.validFrom`, 'date'],
    [`${name}.validUntil`, 'date'],
  ] as const;
const PARTY_FIELDS = (at: string) =>
  [
    [`${at}partyId`, 'id'],
    [`${at}supervisingUnitId`, 'id'],
    [`${at}name`, text('name')],
    [`${at}jurisdiction`, text('jurisdiction')],
    [`${at}identifier`, text('identifier')],
    [`${at}contact.name`, text('contact.name')],
    [`${at}contact.phone`, text('contact.phone')],
  ] as const;
const OLD_CREDENTIAL_FIELDS = (at: string) =>
  [
    [`${at}oldCredential.serial`, text('serial')],
    [`${at}oldCredential.validUntil`, 'date'],
    [`${at}oldCredential.boundPlatforms`, { array: 'boundPlatforms' }],
    [`${at}oldCredential.boundPlatforms[0]`, text('platform')],
  ] as const;

/** One budget unit's whole life, a step per route that takes a body, in the order it is lived. */
function lifeOf(bu: string): Step[] {
  const setId = `${bu}-a`;
  const set = `/credential-sets/${setId}`;
  return [
    { name: 'register', path: '/parties', actor: finance, body: () => budgetUnit(bu), fields: PARTY_FIELDS('') },
    {
      name: 'submit a filing',
      path: `/parties/${bu}/filings`,
      actor: supervisor,
      body: () => ({ filingId: 'f-1', additionalSets: 1, reason: '两个业务科室分别使用' }),
      fields: [
        ['filingId', 'id'],
        ['reason', text('reason')],
      ],
    },
    {
      name: 'decide a filing',
      path: `/parties/${bu}/filings/f-1/decision`,
      actor: finance,
      body: () => ({ decision: 'REJECT', reason: '材料不全' }),
      fields: [['reason', text('reason')]],
    },
    {
      name: 'apply',
      path: '/credential-sets',
      actor: supervisor,
      body: () => ({ setId, partyId: bu, kind: 'REPLACEMENT', oldCredential: oldCredential(`GX-OLD-${bu}`) }),
      fields: [['setId', 'id'], ['partyId', 'id'], ...OLD_CREDENTIAL_FIELDS('')],
    },
    { name: 'collect', path: `${set}/collect`, actor: supervisor, body: () => ({}), fields: [] },
    {
      name: 'file',
      path: `${set}/filing`,
      actor: finance,
      body: () => ({ decision: 'REJECT', reason: '材料不全' }),
      fields: [['reason', text('reason')]],
      valid: () => ({ decision: 'ACCEPT' }),
    },
    {
      name: 'issue',
      path: `${set}/issue`,
      actor: finance,
      body: () => components(setId),
      fields: [...COMPONENT_FIELDS('ca'), ...COMPONENT_FIELDS('seal')],
    },
    {
      name: 'unbind the old credential',
      path: `${set}/unbind-old`,
      actor: contact,
      body: () => ({ platform: 'SUCAIYUN' }),
      fields: [['platform', text('platform')]],
    },
    {
      name: 'bind the new credential',
      path: `${set}/bind-new`,
      actor: contact,
      body: () => ({ platform: 'SUCAIYUN' }),
      fields: [['platform', text('platform')]],
    },
    {
      name: 'reissue',
      path: `${set}/reissue`,
      actor: finance,
      body: () => ({ reason: 'LOST', ...components(`${setId}-r`) }),
      fields: [...COMPONENT_FIELDS('ca'), ...COMPONENT_FIELDS('seal')],
    },
    {
      name: 'revoke',
      path: `${set}/revoke`,
      actor: finance,
      body: () => ({ reason: 'OTHER', note: '单位撤销' }),
      fields: [['note', text('note')]],
      // The revoked set ends and tells its party, which closes the slot after the answer.
      settled: () =>
        retry(async () => {
          const party = await ok('GET', `/parties/${bu}`);
          if ((party['openSets'] as string[]).includes(setId)) throw new Error('slot still open');
        }, 30_000),
    },
    {
      name: 'launch',
      path: '/launches',
      actor: finance,
      body: () => ({
        launchId: uniqueId('launch'),
        items: [
          {
            party: expert(`${bu}-l`),
            setId: `${bu}-l-a`,
            kind: 'REPLACEMENT',
            oldCredential: oldCredential(`GX-OLD-${bu}-l`),
          },
        ],
      }),
      fields: [
        ['launchId', 'id'],
        ['items', { array: 'items' }],
        ['items[0].setId', 'id'],
        ...PARTY_FIELDS('items[0].party.'),
        ...OLD_CREDENTIAL_FIELDS('items[0].'),
      ],
    },
  ];
}

const TEXT_POISON = ['a\u0000b', 'a\ud800b', 'b\udc00', 'a\u0007b', 'a\u009bb', '\u001b[0m'];
const BAD_DATES = [
  '2024-03-01',
  '2024-03-01T00:00:00',
  '2023-02-29T00:00:00Z',
  '1999-12-31T00:00:00Z',
  '2100-01-01T00:00:00Z',
];

/** Every poison value of a kind of field, with the path and rule its refusal names. */
function poisonFor(path: string, kind: Kind): { value: unknown; path: string; rule: string }[] {
  if (kind === 'id') return BAD_IDS.map((value) => ({ value, path, rule: ID_RULE }));
  if (kind === 'date')
    return BAD_DATES.map((value) => ({ value, path, rule: expect.stringMatching(/ISO-8601|between/) }));
  if ('array' in kind) {
    const value = Array.from({ length: ARRAY_LIMITS[kind.array] + 1 }, () =>
      kind.array === 'items' ? {} : 'SUCAIYUN',
    );
    return [{ value, path, rule: `at most ${ARRAY_LIMITS[kind.array]} items` }];
  }
  const long = 'x'.repeat(TEXT_LIMITS[kind.text] + 1);
  return [
    ...TEXT_POISON.map((value) => ({ value, path, rule: TEXT_RULE })),
    // Each string of an array is measured by the array's own rule, named by the array.
    {
      value: long,
      path: path.replace(/\[\d+\]$/, ''),
      rule: expect.stringContaining(`at most ${TEXT_LIMITS[kind.text]} characters`),
    },
  ];
}

interface OpenApiSchema {
  readonly $ref?: string;
  readonly type?: string;
  readonly enum?: readonly unknown[];
  readonly properties?: Record<string, OpenApiSchema>;
  readonly items?: OpenApiSchema;
  readonly allOf?: readonly OpenApiSchema[];
  readonly oneOf?: readonly OpenApiSchema[];
  readonly anyOf?: readonly OpenApiSchema[];
}
interface OpenApi {
  readonly paths: Record<
    string,
    Record<string, { requestBody?: { content?: Record<string, { schema?: OpenApiSchema }> } }>
  >;
  readonly components: { readonly schemas: Record<string, OpenApiSchema> };
}

/** Every free-text (a string, not an enum) and array field of a body schema, as a dotted path (`items[0].party.name`). */
function stringFields(doc: OpenApi, schema: OpenApiSchema, at: string): string[] {
  if (schema.$ref) return stringFields(doc, doc.components.schemas[schema.$ref.split('/').pop()!]!, at);
  const parts = [...(schema.allOf ?? []), ...(schema.oneOf ?? []), ...(schema.anyOf ?? [])];
  if (parts.length > 0) return [...new Set(parts.flatMap((p) => stringFields(doc, p, at)))];
  if (schema.type === 'string') return schema.enum ? [] : [at];
  if (schema.type === 'array' && schema.items) {
    const items = stringFields(doc, schema.items, `${at}[0]`);
    return [at, ...items];
  }
  return Object.entries(schema.properties ?? {}).flatMap(([k, v]) => stringFields(doc, v, at ? `${at}.${k}` : k));
}

/** The body with `value` at a dotted path (`items[0].party.name`). */
function withValue(body: Record<string, unknown>, path: string, value: unknown): Record<string, unknown> {
  const copy = JSON.parse(JSON.stringify(body)) as Record<string, unknown>;
  const keys = path.split(/\.|\[(\d+)\]/).filter((k) => k !== undefined && k !== '');
  let at: Record<string, unknown> = copy;
  for (const key of keys.slice(0, -1)) at = at[key] as Record<string, unknown>;
  at[keys[keys.length - 1]!] = value;
  return copy;
}

describe('poison in every field of every step body', () => {
  it('refuses each field’s poison 400 naming the field and rule, writes nothing, and the step then goes through', async () => {
    const bu = uniqueId('bu');
    let refusals = 0;
    let launchId = '';
    for (const step of lifeOf(bu)) {
      const before = await settledCounts();
      for (const [field, kind] of step.fields) {
        for (const poison of poisonFor(field, kind)) {
          const r = await http('POST', step.path, withValue(step.body(), field, poison.value), step.actor);
          expect({ step: step.name, field, status: r.status, rule: r.body['rule'] }).toEqual({
            step: step.name,
            field,
            status: 400,
            rule: 'INVALID_FIELD',
          });
          expect(r.body['errors']).toEqual(expect.arrayContaining([{ path: poison.path, rule: poison.rule }]));
          refusals += 1;
        }
      }
      expect({ step: step.name, ...(await counts()) }).toEqual({ step: step.name, ...before });
      // The same party and set take the step itself right after its poison.
      const body = (step.valid ?? step.body)();
      await ok('POST', step.path, Object.keys(body).length > 0 ? body : undefined, step.actor);
      if (typeof body['launchId'] === 'string') launchId = body['launchId'];
      await step.settled?.();
    }
    // The launch writes after its 202: done before the next test counts.
    await retry(async () => {
      const launch = await ok('GET', `/launches/${launchId}`);
      if (launch['status'] !== 'COMPLETED') throw new Error(`launch ${launch['status']}`);
    }, 60_000);
    await settledCounts();
    process.stdout.write(`poison-input: ${refusals} poisoned step bodies refused, counts unchanged\n`);
    expect(refusals).toBeGreaterThan(250);
  });

  it('covers every string and array field of every JSON body the OpenAPI document declares', async () => {
    const doc = (await ok('GET', '/docs/openapi.json')) as unknown as OpenApi;
    const declared = Object.entries(doc.paths).flatMap(([route, ops]) =>
      Object.entries(ops)
        .filter(([, op]) => op.requestBody?.content?.['application/json']?.schema)
        .flatMap(([method, op]) =>
          stringFields(doc, op.requestBody!.content!['application/json']!.schema!, '').map(
            (field) => `${method.toUpperCase()} ${route} ${field}`,
          ),
        ),
    );
    const template = (p: string) =>
      p
        .replace('/credential-sets/BU-a', '/credential-sets/{setId}')
        .replace('/parties/BU', '/parties/{partyId}')
        .replace('/filings/f-1', '/filings/{filingId}');
    const poisoned = new Set(
      lifeOf('BU').flatMap((step) => step.fields.map(([field]) => `POST ${template(step.path)} ${field}`)),
    );
    expect(declared.length).toBeGreaterThan(30);
    expect(declared.filter((f) => !poisoned.has(f))).toEqual([]);
  });

  it('refuses text rules in query parameters and the path too', async () => {
    await refused(() => http('GET', '/credential-sets/abc?asOf=%00'), 400, 'INVALID_FIELD', 'asOf');
    await refused(() => http('GET', '/credential-sets/abc?asOf=%07'), 400, 'INVALID_FIELD', 'asOf');
    await refused(() => http('GET', '/parties/a%01b'), 400, 'INVALID_FIELD', 'path');
    await refused(() => http('GET', `/parties?jurisdiction=${'x'.repeat(257)}`), 400, 'INVALID_FIELD', 'jurisdiction');
    await refused(() => http('GET', '/credential-sets/abc?asOf=9999-01-01T00:00:00Z'), 400, 'INVALID_FIELD', 'asOf');
  });
});

describe('ids outside the stream-id grammar', () => {
  it('are refused in every id field of a body and every id path parameter; the party then steps on', async () => {
    const bu = uniqueId('bu');
    await ok('POST', '/parties', budgetUnit(bu));
    for (const bad of BAD_IDS) {
      const at = encodeURIComponent(bad);
      await refused(() => http('POST', '/parties', budgetUnit(bad)), 400, 'INVALID_FIELD', 'partyId');
      await refused(
        () => http('POST', '/parties', { ...budgetUnit(uniqueId('bu')), supervisingUnitId: bad }),
        400,
        'INVALID_FIELD',
        'supervisingUnitId',
      );
      await refused(
        () => http('POST', '/credential-sets', { setId: bad, partyId: bu, kind: 'NEW' }, supervisor),
        400,
        'INVALID_FIELD',
        'setId',
      );
      await refused(
        () => http('POST', '/credential-sets', { partyId: bad, kind: 'NEW' }, supervisor),
        400,
        'INVALID_FIELD',
        'partyId',
      );
      await refused(
        () => http('POST', `/parties/${bu}/filings`, { filingId: bad, additionalSets: 1, reason: 'r' }, supervisor),
        400,
        'INVALID_FIELD',
        'filingId',
      );
      await refused(
        () => http('POST', '/launches', { items: [{ party: budgetUnit(bad), setId: uniqueId('s'), kind: 'NEW' }] }),
        400,
        'INVALID_FIELD',
        'items[0].party.partyId',
      );
      await refused(
        () => http('POST', '/launches', { items: [{ party: budgetUnit(uniqueId('bu')), setId: bad, kind: 'NEW' }] }),
        400,
        'INVALID_FIELD',
        'items[0].setId',
      );
      await refused(() => http('GET', `/parties/${at}`), 400, 'INVALID_FIELD', 'partyId');
      await refused(() => http('POST', `/credential-sets/${at}/collect`), 400, 'INVALID_FIELD', 'setId');
      await refused(() => http('GET', `/launches/${at}`), 400, 'INVALID_FIELD', 'launchId');
      await refused(
        () => http('POST', `/parties/${bu}/filings/${at}/decision`, { decision: 'ACCEPT' }),
        400,
        'INVALID_FIELD',
        'filingId',
      );
    }
    await ok('POST', `/parties/${bu}/filings`, { filingId: 'f-1', additionalSets: 1, reason: 'r' }, supervisor);
    await ok('POST', `/parties/${bu}/filings/f-1/decision`, { decision: 'ACCEPT' });
    await ok('POST', '/credential-sets', { setId: `${bu}-a`, partyId: bu, kind: 'NEW' }, supervisor);
  });
});

describe('bodies the parser refuses', () => {
  it('answers 400 to deep nesting, 413 over the body limit, 415 to another charset; then steps on', async () => {
    const bu = uniqueId('bu');
    const deep = `${'{"a":'.repeat(100)}1${'}'.repeat(100)}`;
    const r = await refused(() => http('POST', '/parties', undefined, finance, { raw: deep }), 400, 'INVALID_FIELD');
    expect(r.body['errors'][0].rule).toMatch(/nest/);
    await refused(
      () => http('POST', '/parties', undefined, finance, { raw: '{"partyId": ' }),
      400,
      'MALFORMED_REQUEST',
    );
    const big = JSON.stringify({ ...budgetUnit(bu), name: 'x'.repeat(600_000) });
    await refused(() => http('POST', '/parties', undefined, finance, { raw: big }), 413, 'PAYLOAD_TOO_LARGE');
    await refused(
      () =>
        http('POST', '/parties', budgetUnit(bu), finance, {
          headers: { 'content-type': 'application/json; charset=latin9' },
        }),
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    );
    await ok('POST', '/parties', budgetUnit(bu));
  });
});
