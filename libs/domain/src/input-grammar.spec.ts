import type { Actor } from './actor';
import {
  decideCredentialSet,
  foldCredentialSet,
  type CredentialSetCommand,
  type CredentialSetEvent,
  type IssuedComponent,
} from './credential-set';
import {
  ARRAY_LIMITS,
  ID_RULE,
  INSTANT_RANGE_RULE,
  INSTANT_RULE,
  TEXT_LIMITS,
  TEXT_RULE,
  textLimitRule,
  type TextField,
} from './identifiers/grammar';
import { checkLaunch, type LaunchItem } from './launch/launch';
import { decideParty, foldParty, type PartyCommand, type PartyDetails, type PartyEvent } from './party';
import { givenFor } from './testing/decider';
import { changzhouPolicy } from './testing/policies';

/*
 * The input grammar inside the domain: every command that comes from outside (staff over HTTP, or
 * anyone who reaches the Temporal frontend) is refused when a field is outside its grammar, naming
 * the field and the rule, before any rule of the campaign is weighed and before anything is stored.
 */

const policy = changzhouPolicy();
const sh = (local: string) => `${local}+08:00`;
const staff: Actor = { id: 'zhang', role: 'FINANCE_STAFF' };
const supervisor: Actor = { id: 'sup-1', role: 'SUPERVISING_UNIT' };
const contact: Actor = { id: 'contact-1', role: 'PARTY' };
const window: Actor = { id: 'gu', role: 'SERVICE_WINDOW' };

const POISON = ['a\u0000b', 'a\ud800b', 'b\udc00', 'a\u0007b'];
const BAD_IDS = ['', 'a b', '_a', '__proto__', '证书', 'x'.repeat(129), 'a\u0000'];

const givenSet = givenFor(decideCredentialSet, foldCredentialSet, () => policy);
const givenParty = givenFor(decideParty, foldParty, () => policy);

const budgetUnit: PartyDetails = {
  partyId: 'bu-1',
  partyType: 'BUDGET_UNIT',
  name: '常州市某局',
  jurisdiction: 'changzhou',
  identifier: '11320400014000001T',
  supervisingUnitId: 'bu-0',
  contact: { name: '张三', phone: '0519-85681829' },
};

const apply = (over: Record<string, unknown> = {}): CredentialSetCommand => ({
  type: 'ApplyForCredentialSet',
  at: sh('2023-09-02T09:30:00'),
  actor: supervisor,
  setId: 'set-1',
  party: { partyId: 'bu-1', partyType: 'BUDGET_UNIT', jurisdiction: 'changzhou', supervisingUnitId: 'sup-1' },
  kind: 'REPLACEMENT',
  oldCredential: { serial: 'GX-OLD-0001', validUntil: sh('2024-03-01T00:00:00'), boundPlatforms: ['SUCAIYUN'] },
  firstSetOfParty: true,
  ...over,
});

const component = (serial: string, over: Partial<IssuedComponent> = {}): IssuedComponent => ({
  serial,
  issuer: '江苏省电子政务证书认证中心',
  validFrom: sh('2023-09-08T10:00:00'),
  validUntil: sh('2024-09-08T10:00:00'),
  ...over,
});

const step = (type: string, over: Record<string, unknown> = {}, actor = staff, at = sh('2023-09-04T15:00:00')) =>
  ({ type, at, actor, ...over }) as CredentialSetCommand;
const issue = (ca = component('CA-NEW-0001'), seal = component('SEAL-NEW-0001')) =>
  step('IssueCredentialSet', { ca, seal }, staff, sh('2023-09-08T10:00:00'));

function setHistory(commands: readonly CredentialSetCommand[]): CredentialSetEvent[] {
  return commands.reduce<CredentialSetEvent[]>((events, c) => [...events, ...givenSet(events).when(c).events()], []);
}
const collected = () => setHistory([apply(), step('CollectApplication', {}, supervisor, sh('2023-09-03T10:00:00'))]);
const filed = () =>
  setHistory([apply(), step('CollectApplication', {}, supervisor, sh('2023-09-03T10:00:00')), step('AcceptFiling')]);
const issued = () => [...filed(), ...givenSet(filed()).when(issue()).events()];

const partyStep = (type: string, over: Record<string, unknown> = {}, at = sh('2023-09-12T10:00:00')) =>
  ({ type, at, actor: staff, ...over }) as PartyCommand;
const registered = (): PartyEvent[] =>
  givenParty([])
    .when(partyStep('RegisterParty', { party: budgetUnit }, sh('2023-09-01T09:00:00')))
    .events();
const submit = (over: Record<string, unknown> = {}) =>
  partyStep('SubmitAdditionalSetFiling', { filingId: 'f-1', additionalSets: 1, reason: '两个科室', ...over });

/** Each free-text field of each step, the history it is taken on, and the command with `value` in the field. */
const TEXT_FIELDS: readonly [string, TextField, () => readonly unknown[], (v: string) => unknown, 'set' | 'party'][] = [
  ['name', 'name', () => [], (v) => partyStep('RegisterParty', { party: { ...budgetUnit, name: v } }), 'party'],
  [
    'contact.name',
    'contact.name',
    () => [],
    (v) => partyStep('RegisterParty', { party: { ...budgetUnit, contact: { ...budgetUnit.contact, name: v } } }),
    'party',
  ],
  [
    'contact.phone',
    'contact.phone',
    () => [],
    (v) => partyStep('RegisterParty', { party: { ...budgetUnit, contact: { ...budgetUnit.contact, phone: v } } }),
    'party',
  ],
  [
    'identifier',
    'identifier',
    () => [],
    (v) => partyStep('RegisterParty', { party: { ...budgetUnit, identifier: v } }),
    'party',
  ],
  [
    'jurisdiction',
    'jurisdiction',
    () => [],
    (v) => partyStep('RegisterParty', { party: { ...budgetUnit, jurisdiction: v } }),
    'party',
  ],
  ['reason', 'reason', registered, (v) => submit({ reason: v }), 'party'],
  [
    'reason',
    'reason',
    () => [...registered(), ...givenParty(registered()).when(submit()).events()],
    (v) => partyStep('RejectAdditionalSetFiling', { filingId: 'f-1', reason: v }),
    'party',
  ],
  [
    'party.jurisdiction',
    'jurisdiction',
    () => [],
    (v) => apply({ party: { partyId: 'bu-1', partyType: 'BUDGET_UNIT', jurisdiction: v, supervisingUnitId: null } }),
    'set',
  ],
  [
    'oldCredential.serial',
    'serial',
    () => [],
    (v) => apply({ oldCredential: { serial: v, validUntil: sh('2024-03-01T00:00:00'), boundPlatforms: [] } }),
    'set',
  ],
  [
    'oldCredential.boundPlatforms[1]',
    'platform',
    () => [],
    (v) =>
      apply({
        oldCredential: { serial: 'GX-1', validUntil: sh('2024-03-01T00:00:00'), boundPlatforms: ['SUCAIYUN', v] },
      }),
    'set',
  ],
  ['reason', 'reason', collected, (v) => step('RejectFiling', { reason: v }), 'set'],
  ['ca.issuer', 'issuer', filed, (v) => issue(component('CA-NEW-0001', { issuer: v })), 'set'],
  ['seal.issuer', 'issuer', filed, (v) => issue(undefined, component('SEAL-NEW-0001', { issuer: v })), 'set'],
  [
    'platform',
    'platform',
    issued,
    (v) => step('UnbindOldCredential', { platform: v }, contact, sh('2023-09-12T10:00:00')),
    'set',
  ],
  [
    'platform',
    'platform',
    issued,
    (v) => step('BindNewCredential', { platform: v }, contact, sh('2023-09-12T10:00:00')),
    'set',
  ],
  ['note', 'note', issued, (v) => step('RevokeCredentialSet', { reason: 'OTHER', note: v }), 'set'],
  ['note', 'note', issued, (v) => step('RevokeCredentialSet', { reason: 'PARTY_DISSOLVED', note: v }), 'set'],
];

function when(history: readonly unknown[], command: unknown, aggregate: 'set' | 'party') {
  return aggregate === 'set'
    ? givenSet(history as CredentialSetEvent[]).when(command as CredentialSetCommand)
    : givenParty(history as PartyEvent[]).when(command as PartyCommand);
}

describe('free text in every field of every step', () => {
  it.each(
    TEXT_FIELDS.map(
      ([path, field, history, command, aggregate], i) =>
        [`${i}: ${path}`, path, field, history, command, aggregate] as const,
    ),
  )(
    '%s refuses NUL, lone surrogates, control characters and text over its limit, naming the field',
    (_name, path, field, history, command, aggregate) => {
      const before = history();
      for (const bad of POISON) {
        expect(when(before, command(bad), aggregate).invalidIssues()).toContainEqual({ path, rule: TEXT_RULE });
      }
      const tooLong = 'x'.repeat(TEXT_LIMITS[field] + 1);
      expect(when(before, command(tooLong), aggregate).invalidIssues()).toContainEqual({
        path,
        rule: textLimitRule(field),
      });
    },
  );

  it('takes text at its limit, with newlines and tabs, and characters outside the BMP', () => {
    const name = `${'常'.repeat(TEXT_LIMITS.name - 4)}\n\t😀`;
    expect(name).toHaveLength(TEXT_LIMITS.name);
    givenParty([])
      .when(partyStep('RegisterParty', { party: { ...budgetUnit, name } }, sh('2023-09-01T09:00:00')))
      .events();
    givenSet(collected())
      .when(step('RejectFiling', { reason: 'r'.repeat(TEXT_LIMITS.reason) }))
      .events();
  });
});

describe('ids in every id field', () => {
  const ID_FIELDS: readonly [string, () => readonly unknown[], (v: string) => unknown, 'set' | 'party'][] = [
    ['partyId', () => [], (v) => partyStep('RegisterParty', { party: { ...budgetUnit, partyId: v } }), 'party'],
    [
      'supervisingUnitId',
      () => [],
      (v) => partyStep('RegisterParty', { party: { ...budgetUnit, supervisingUnitId: v } }),
      'party',
    ],
    ['filingId', registered, (v) => submit({ filingId: v }), 'party'],
    ['filingId', registered, (v) => partyStep('ApproveAdditionalSetFiling', { filingId: v }), 'party'],
    ['filingId', registered, (v) => partyStep('RejectAdditionalSetFiling', { filingId: v, reason: 'r' }), 'party'],
    ['setId', registered, (v) => partyStep('OpenCredentialSet', { setId: v }), 'party'],
    ['setId', registered, (v) => partyStep('CloseCredentialSet', { setId: v, everIssued: false }), 'party'],
    ['setId', () => [], (v) => apply({ setId: v }), 'set'],
    [
      'party.partyId',
      () => [],
      (v) =>
        apply({ party: { partyId: v, partyType: 'BUDGET_UNIT', jurisdiction: 'changzhou', supervisingUnitId: null } }),
      'set',
    ],
    [
      'party.supervisingUnitId',
      () => [],
      (v) =>
        apply({
          party: { partyId: 'bu-1', partyType: 'BUDGET_UNIT', jurisdiction: 'changzhou', supervisingUnitId: v },
        }),
      'set',
    ],
  ];
  it.each(
    ID_FIELDS.map(
      ([path, history, command, aggregate], i) => [`${i}: ${path}`, path, history, command, aggregate] as const,
    ),
  )('%s refuses an id outside the stream-id grammar', (_name, path, history, command, aggregate) => {
    const before = history();
    for (const bad of BAD_IDS) {
      expect(when(before, command(bad), aggregate).invalidIssues()).toContainEqual({ path, rule: ID_RULE });
    }
  });
});

describe('dates and counts', () => {
  it('refuses dates that are not instants with an offset, or outside the years a credential can mean', () => {
    for (const [validUntil, rule] of [
      ['2024-03-01', INSTANT_RULE],
      ['2024-02-30T00:00:00+08:00', INSTANT_RULE],
      ['1999-12-31T23:59:59Z', INSTANT_RANGE_RULE],
      ['2100-01-01T00:00:00Z', INSTANT_RANGE_RULE],
    ] as const) {
      const old = { serial: 'GX-1', validUntil, boundPlatforms: [] };
      expect(
        givenSet([])
          .when(apply({ oldCredential: old }))
          .invalidIssues(),
      ).toEqual([{ path: 'oldCredential.validUntil', rule }]);
    }
    expect(
      givenSet(filed())
        .when(issue(component('CA-NEW-0001', { validFrom: '1970-01-01T00:00:00Z' })))
        .invalidIssues(),
    ).toEqual([{ path: 'ca.validFrom', rule: INSTANT_RANGE_RULE }]);
  });

  it('refuses an old credential bound to more platforms than the limit, and a filing for too many sets', () => {
    const boundPlatforms = Array.from({ length: ARRAY_LIMITS.boundPlatforms + 1 }, () => 'SUCAIYUN');
    const old = { serial: 'GX-1', validUntil: sh('2024-03-01T00:00:00'), boundPlatforms };
    expect(
      givenSet([])
        .when(apply({ oldCredential: old }))
        .invalidIssues(),
    ).toEqual([{ path: 'oldCredential.boundPlatforms', rule: `at most ${ARRAY_LIMITS.boundPlatforms} items` }]);
    expect(
      givenParty(registered())
        .when(submit({ additionalSets: 101 }))
        .invalidIssues(),
    ).toEqual([{ path: 'additionalSets', rule: 'an integer from 1 to 100' }]);
  });

  it('refuses a launch longer than its limit as a whole, without deciding its items', () => {
    const item: LaunchItem = { party: budgetUnit, setId: 'set-1', kind: 'NEW', oldCredential: null };
    const items = Array.from({ length: ARRAY_LIMITS.items + 1 }, () => item);
    expect(checkLaunch(items, sh('2023-09-02T09:30:00'), staff, policy)).toEqual([
      { path: 'items', rule: `at most ${ARRAY_LIMITS.items} items` },
    ]);
  });

  it('names every rule of a launch item under items[i], the grammar’s included', () => {
    const item = (n: number, over: Partial<PartyDetails> = {}, rest: Partial<LaunchItem> = {}): LaunchItem => ({
      party: { ...budgetUnit, partyId: `bu-${n}`, ...over },
      setId: `set-${n}`,
      kind: 'NEW',
      oldCredential: null,
      ...rest,
    });
    const old = { serial: 'GX\u0000', validUntil: '2024-03-01', boundPlatforms: [] };
    const issues = checkLaunch(
      [
        item(0),
        item(1, { name: 'n'.repeat(201) }),
        item(2, { contact: { name: '\ud800', phone: '0519-85681829' } }),
        item(3, {}, { kind: 'REPLACEMENT', oldCredential: old }),
        item(4, {}, { setId: 'a b' }),
      ],
      sh('2023-09-02T09:30:00'),
      supervisor,
      policy,
    );
    expect(issues).toEqual([
      { path: 'items[1].party.name', rule: 'at most 200 characters' },
      { path: 'items[2].party.contact.name', rule: TEXT_RULE },
      { path: 'items[3].oldCredential.serial', rule: TEXT_RULE },
      { path: 'items[3].oldCredential.validUntil', rule: INSTANT_RULE },
      { path: 'items[4].setId', rule: ID_RULE },
    ]);
  });
});

describe('a launch item’s rules', () => {
  it('name the field a rule is about under items[i], and the item itself for a rule about the whole step', () => {
    const supplier: PartyDetails = {
      ...budgetUnit,
      partyId: 'sup-1',
      partyType: 'FRAMEWORK_SUPPLIER',
      identifier: '91320400MA1MXXXXXJ',
      supervisingUnitId: null,
    };
    const item: LaunchItem = { party: supplier, setId: 'set-1', kind: 'NEW', oldCredential: null };
    // Suppliers open on 9月5日: before it, the rule is about the item's party type.
    expect(checkLaunch([item], sh('2023-09-02T09:30:00'), window, policy)).toEqual([
      { path: 'items[0].party.partyType', rule: expect.stringContaining('PARTY_TYPE_NOT_YET_OPEN') },
    ]);
    const auditor: Actor = { id: 'a-1', role: 'AUDITOR' };
    expect(checkLaunch([item], sh('2023-09-12T09:30:00'), auditor, policy)).toEqual([
      { path: 'items[0]', rule: expect.stringContaining('ROLE_NOT_ALLOWED') },
    ]);
  });
});

describe('filings keyed by ids that are also names of Object.prototype', () => {
  const PROTO_IDS = ['constructor', 'toString', 'hasOwnProperty', 'valueOf'];

  it.each(PROTO_IDS)('a filing %s is submitted, approved and counted like any other', (filingId) => {
    const history = registered();
    const submitted = givenParty(history).when(submit({ filingId })).events();
    expect(submitted).toMatchObject([{ type: 'AdditionalSetFilingSubmitted', data: { filingId } }]);
    const approved = givenParty([...history, ...submitted])
      .when(partyStep('ApproveAdditionalSetFiling', { filingId }))
      .events();
    expect(approved).toMatchObject([{ type: 'AdditionalSetFilingApproved', data: { filingId, additionalSets: 1 } }]);
    const state = foldParty([...history, ...submitted, ...approved]);
    expect(Object.hasOwn(state.filings, filingId)).toBe(true);
    givenParty([...history, ...submitted, ...approved])
      .when(partyStep('ApproveAdditionalSetFiling', { filingId }))
      .thenRefuses('FILING_ALREADY_DECIDED', filingId);
  });

  it.each([...PROTO_IDS, '__proto__'])(
    'deciding an unknown filing %s is FILING_UNKNOWN or an invalid id, never a crash',
    (filingId) => {
      const outcome = givenParty(registered()).when(partyStep('RejectAdditionalSetFiling', { filingId, reason: 'r' }));
      const error = outcome.refusal();
      expect(error.code).toBe(filingId === '__proto__' ? 'INVALID_FIELD' : 'FILING_UNKNOWN');
    },
  );

  it('folds a recorded filing named __proto__ as an own entry, not the prototype', () => {
    const [first] = registered();
    const data = { filingId: '__proto__', additionalSets: 2, reason: 'r' };
    const state = foldParty([
      first!,
      { type: 'AdditionalSetFilingSubmitted', at: sh('2023-09-12T10:00:00'), actor: staff, data },
      {
        type: 'AdditionalSetFilingRejected',
        at: sh('2023-09-12T11:00:00'),
        actor: staff,
        data: { filingId: '__proto__', reason: 'r' },
      },
    ]);
    expect(Object.hasOwn(state.filings, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(state.filings)).toBe(Object.prototype);
    expect(JSON.parse(JSON.stringify(state.filings))).toEqual(
      JSON.parse('{"__proto__":{"status":"REJECTED","additionalSets":2}}'),
    );
  });

  it('refuses a platform named like a prototype member as any unknown platform', () => {
    for (const platform of ['constructor', 'toString', '__proto__']) {
      givenSet(issued())
        .when(step('BindNewCredential', { platform }, contact, sh('2023-09-12T10:00:00')))
        .thenInvalid('platform');
    }
  });
});
