import type { Actor } from '../actor';
import {
  decideCredentialSet,
  dueSystemStep,
  evolveCredentialSet,
  foldCredentialSet,
  type CredentialSetCommand,
  type CredentialSetEvent,
  type IssuedComponent,
  type OldCredential,
  type PartyRef,
} from '.';
import { ValidationError } from '../errors';
import { ID_RULE } from '../identifiers/grammar';
import type { CampaignPolicy, PartyType } from '../policy';
import { givenFor } from '../testing/decider';
import { changzhouPolicy, urumqiPolicy } from '../testing/policies';

// Given events / when command / then events, on the 2023 Changzhou policy unless said otherwise.
const changzhou = changzhouPolicy();

const financeStaff: Actor = { id: 'zhang', role: 'FINANCE_STAFF' };
const supervisor: Actor = { id: 'sup-1', role: 'SUPERVISING_UNIT' };
const window: Actor = { id: 'gu', role: 'SERVICE_WINDOW' };
const partyContact: Actor = { id: 'contact-1', role: 'PARTY' };
const system: Actor = { id: 'system', role: 'SYSTEM' };
const auditor: Actor = { id: 'audit-1', role: 'AUDITOR' };

const sh = (local: string) => `${local}+08:00`;

function party(partyType: PartyType, jurisdiction = 'changzhou'): PartyRef {
  return {
    partyId: `${partyType.toLowerCase()}-1`,
    partyType,
    jurisdiction,
    supervisingUnitId: partyType === 'BUDGET_UNIT' ? 'sup-1' : null,
  };
}

const oldCredential: OldCredential = {
  serial: 'GX-OLD-0001',
  validUntil: sh('2024-03-01T00:00:00'),
  boundPlatforms: ['SUCAIYUN', 'CZ_PROCUREMENT'],
};

function component(
  serial: string,
  validFrom = sh('2023-09-08T10:00:00'),
  validUntil = sh('2024-09-08T10:00:00'),
): IssuedComponent {
  return {
    serial,
    issuer: serial.startsWith('CA') ? '江苏省电子政务证书认证中心' : '方正国际软件(北京)有限公司',
    validFrom,
    validUntil,
  };
}

type Apply = Extract<CredentialSetCommand, { type: 'ApplyForCredentialSet' }>;

function apply(overrides: Partial<Apply> = {}): Apply {
  return {
    type: 'ApplyForCredentialSet',
    at: sh('2023-09-02T09:30:00'),
    actor: supervisor,
    setId: 'set-1',
    party: party('BUDGET_UNIT'),
    kind: 'REPLACEMENT',
    oldCredential,
    firstSetOfParty: true,
    ...overrides,
  };
}

const given = givenFor(decideCredentialSet, foldCredentialSet, () => changzhou);

/** Runs commands in order, each decided on the events before it; returns the whole history. */
function history(commands: readonly CredentialSetCommand[], policy: CampaignPolicy = changzhou): CredentialSetEvent[] {
  return commands.reduce<CredentialSetEvent[]>(
    (events, c) => [...events, ...given(events, policy).when(c).events()],
    [],
  );
}

const collect = (at = sh('2023-09-03T10:00:00')): CredentialSetCommand => ({
  type: 'CollectApplication',
  at,
  actor: supervisor,
});
const accept = (at = sh('2023-09-04T15:00:00')): CredentialSetCommand => ({
  type: 'AcceptFiling',
  at,
  actor: financeStaff,
});
const issue = (
  at = sh('2023-09-08T10:00:00'),
  ca = component('CA-NEW-0001'),
  seal = component('SEAL-NEW-0001'),
): CredentialSetCommand => ({
  type: 'IssueCredentialSet',
  at,
  actor: financeStaff,
  ca,
  seal,
});
const unbind = (at = sh('2023-09-12T10:00:00'), platform = 'SUCAIYUN'): CredentialSetCommand => ({
  type: 'UnbindOldCredential',
  at,
  actor: partyContact,
  platform,
});
const bind = (at = sh('2023-09-12T10:05:00'), platform = 'SUCAIYUN'): CredentialSetCommand => ({
  type: 'BindNewCredential',
  at,
  actor: partyContact,
  platform,
});
const cutOver = (at = sh('2023-10-12T00:00:00')): CredentialSetCommand => ({
  type: 'RecordCutOver',
  at,
  actor: system,
});
const expire = (at: string): CredentialSetCommand => ({ type: 'ExpireCredentialSet', at, actor: system });
const renew = (at: string): CredentialSetCommand => ({ type: 'RenewCredentialSet', at, actor: financeStaff });

const applied = () => history([apply()]);
const collected = () => history([apply(), collect()]);
const filed = () => history([apply(), collect(), accept()]);
const issued = () => history([apply(), collect(), accept(), issue()]);
const bound = () => history([apply(), collect(), accept(), issue(), unbind(), bind()]);

describe('apply (申请)', () => {
  it('records a budget unit replacement through its supervising unit, judging the old credential on the application day', () => {
    given([])
      .when(apply())
      .then([
        {
          type: 'CredentialSetApplied',
          at: sh('2023-09-02T09:30:00'),
          actor: supervisor,
          data: {
            setId: 'set-1',
            party: party('BUDGET_UNIT'),
            kind: 'REPLACEMENT',
            channel: 'VIA_SUPERVISING_UNIT',
            oldCredential,
            oldCredentialValidOnApplication: true,
            firstSetOfParty: true,
            late: false,
            policyId: 'changzhou-2023',
            policyVersion: 1,
          },
        },
      ]);
  });

  it('takes a budget unit application after the 9月4日 deadline but flags it late', () => {
    const [onTime] = given([])
      .when(apply({ at: sh('2023-09-04T23:59:59.999') }))
      .events();
    const [late] = given([])
      .when(apply({ at: sh('2023-09-05T00:00:00') }))
      .events();
    expect(onTime?.type === 'CredentialSetApplied' && onTime.data.late).toBe(false);
    expect(late?.type === 'CredentialSetApplied' && late.data.late).toBe(true);
  });

  it('refuses an application before the channel opens, naming the opening day', () => {
    const e = given([])
      .when(apply({ at: sh('2023-08-31T23:59:59.999') }))
      .refusal();
    expect(e.code).toBe('PARTY_TYPE_NOT_YET_OPEN');
    expect(e.message).toContain('2023-09-01 (Asia/Shanghai)');
  });

  it('opens supplier applications on 9月5日 at the service window, workdays only', () => {
    const supplier = (at: string) =>
      apply({ at, actor: window, party: party('FRAMEWORK_SUPPLIER'), kind: 'NEW', oldCredential: null });
    given([])
      .when(supplier(sh('2023-09-04T23:59:59.999')))
      .thenRefuses('PARTY_TYPE_NOT_YET_OPEN');
    expect(
      given([])
        .when(supplier(sh('2023-09-05T00:00:00')))
        .events(),
    ).toHaveLength(1);
    const saturday = given([])
      .when(supplier(sh('2023-09-09T10:00:00')))
      .refusal();
    expect(saturday.code).toBe('NOT_A_WORKDAY');
    expect(saturday.message).toContain('2023-09-09');
    given([])
      .when(supplier(sh('2023-10-03T10:00:00')))
      .thenRefuses('NOT_A_WORKDAY'); // National Day
    expect(
      given([])
        .when(supplier(sh('2023-10-07T10:00:00')))
        .events(),
    ).toHaveLength(1); // 调休: a Saturday workday
  });

  it('accepts applications only from the roles of the party type’s channel', () => {
    given([])
      .when(apply({ actor: window }))
      .thenRefuses('ROLE_NOT_ALLOWED');
    expect(
      given([])
        .when(apply({ actor: financeStaff }))
        .events(),
    ).toHaveLength(1);
    const supplierByFinance = apply({
      actor: financeStaff,
      party: party('FRAMEWORK_SUPPLIER'),
      at: sh('2023-09-05T10:00:00'),
    });
    given([]).when(supplierByFinance).thenRefuses('ROLE_NOT_ALLOWED');
  });

  it('refuses a supplier registered in a district: the framework agreement is the city’s', () => {
    const e = given([])
      .when(apply({ actor: window, party: party('FRAMEWORK_SUPPLIER', 'wujin'), at: sh('2023-09-05T10:00:00') }))
      .refusal();
    expect(e.code).toBe('PARTY_TYPE_MISMATCH');
  });

  it('refuses an unknown jurisdiction', () => {
    given([])
      .when(apply({ party: party('BUDGET_UNIT', 'nanjing') }))
      .thenRefuses('JURISDICTION_UNKNOWN');
  });

  it('requires the old credential for a replacement and refuses one for a new application', () => {
    const missing = given([])
      .when(apply({ oldCredential: null }))
      .invalidIssues();
    expect(missing).toEqual([{ path: 'oldCredential', rule: expect.stringContaining('replacement') }]);
    const extra = given([])
      .when(apply({ kind: 'NEW' }))
      .invalidIssues();
    expect(extra[0]?.path).toBe('oldCredential');
  });

  it('counts an old credential valid at any moment of the application day as valid that day', () => {
    const validThatMorning = { ...oldCredential, validUntil: sh('2023-09-02T00:00:01') };
    const expiredTheDayBefore = { ...oldCredential, validUntil: sh('2023-09-02T00:00:00') };
    const [a] = given([])
      .when(apply({ oldCredential: validThatMorning }))
      .events();
    const [b] = given([])
      .when(apply({ oldCredential: expiredTheDayBefore }))
      .events();
    expect(a?.type === 'CredentialSetApplied' && a.data.oldCredentialValidOnApplication).toBe(true);
    expect(b?.type === 'CredentialSetApplied' && b.data.oldCredentialValidOnApplication).toBe(false);
  });

  it('refuses a second application on the same set', () => {
    given(applied()).when(apply()).thenRefuses('SET_ALREADY_EXISTS');
  });
});

describe('collect', () => {
  it('lets the supervising unit collect before the deadline', () => {
    given(applied())
      .when(collect())
      .then([
        { type: 'ApplicationCollected', at: sh('2023-09-03T10:00:00'), actor: supervisor, data: { late: false } },
      ]);
  });

  it('still collects after the deadline, flagged late', () => {
    expect(
      given(applied())
        .when(collect(sh('2023-09-05T00:00:00')))
        .events()[0],
    ).toMatchObject({ data: { late: true } });
  });

  it('is for the supervising unit only', () => {
    const byFinance: CredentialSetCommand = {
      type: 'CollectApplication',
      at: sh('2023-09-03T10:00:00'),
      actor: financeStaff,
    };
    given(applied()).when(byFinance).thenRefuses('ROLE_NOT_ALLOWED');
  });

  it('does not exist for channels that go straight to finance', () => {
    const centre = history([apply({ actor: financeStaff, party: party('PROCUREMENT_CENTER') })]);
    given(centre).when(collect()).thenRefuses('STEP_OUT_OF_ORDER');
  });

  it('refuses before an application and twice', () => {
    given([]).when(collect()).thenRefuses('STEP_OUT_OF_ORDER');
    given(collected()).when(collect()).thenRefuses('STEP_OUT_OF_ORDER');
  });
});

describe('file (备案: accept or reject)', () => {
  it('accepts a collected budget unit application', () => {
    given(collected())
      .when(accept())
      .then([{ type: 'FilingAccepted', at: sh('2023-09-04T15:00:00'), actor: financeStaff, data: {} }]);
  });

  it('refuses to file a budget unit application its supervising unit has not collected', () => {
    given(applied()).when(accept()).thenRefuses('STEP_OUT_OF_ORDER');
  });

  it('files a procurement centre application directly', () => {
    const centre = history([apply({ actor: financeStaff, party: party('PROCUREMENT_CENTER') })]);
    expect(given(centre).when(accept()).events()[0]?.type).toBe('FilingAccepted');
  });

  it('rejects with a reason, and the reason is required', () => {
    const reject = (reason: string): CredentialSetCommand => ({
      type: 'RejectFiling',
      at: sh('2023-09-04T15:00:00'),
      actor: financeStaff,
      reason,
    });
    given(collected())
      .when(reject(' 申请表未盖公章 '))
      .then([
        {
          type: 'FilingRejected',
          at: sh('2023-09-04T15:00:00'),
          actor: financeStaff,
          data: { reason: '申请表未盖公章' },
        },
      ]);
    expect(given(collected()).when(reject('  ')).invalidIssues()).toEqual([
      { path: 'reason', rule: 'must not be empty' },
    ]);
  });

  it('is for finance staff only', () => {
    expect(
      given(collected())
        .when({ type: 'AcceptFiling', at: sh('2023-09-04T15:00:00'), actor: supervisor })
        .refusal().code,
    ).toBe('ROLE_NOT_ALLOWED');
  });

  it('ends a rejected set: no further step, the party applies again on a new set', () => {
    const rejected = history([
      apply(),
      collect(),
      { type: 'RejectFiling', at: sh('2023-09-04T15:00:00'), actor: financeStaff, reason: 'x' },
    ]);
    expect(foldCredentialSet(rejected).status).toBe('REJECTED');
    given(rejected).when(accept()).thenRefuses('STEP_OUT_OF_ORDER');
    given(rejected).when(issue()).thenRefuses('STEP_OUT_OF_ORDER');
  });
});

describe('issue (签发)', () => {
  it('records both serials, the set’s validity and the replacement fees finance pays', () => {
    given(filed())
      .when(issue())
      .then([
        {
          type: 'CredentialSetIssued',
          at: sh('2023-09-08T10:00:00'),
          actor: financeStaff,
          data: {
            ca: component('CA-NEW-0001'),
            seal: component('SEAL-NEW-0001'),
            validUntil: sh('2024-09-08T10:00:00'),
            late: false,
            fees: [
              {
                component: 'CA',
                kind: 'REPLACEMENT',
                amountFen: 5820,
                payer: { kind: 'FINANCE', jurisdiction: 'changzhou' },
              },
              {
                component: 'SEAL',
                kind: 'REPLACEMENT',
                amountFen: 5700,
                payer: { kind: 'FINANCE', jurisdiction: 'changzhou' },
              },
            ],
          },
        },
      ]);
  });

  it('takes the earlier of the two components’ expiries as the set’s', () => {
    const [e] = given(filed())
      .when(
        issue(undefined, component('CA-NEW-0001'), component('SEAL-NEW-0001', undefined, sh('2024-06-01T00:00:00'))),
      )
      .events();
    expect(e?.type === 'CredentialSetIssued' && e.data.validUntil).toBe(sh('2024-06-01T00:00:00'));
  });

  it('flags work after the 9月10日 completion target as late but does it', () => {
    const [onTarget] = given(filed())
      .when(issue(sh('2023-09-10T23:59:59.999')))
      .events();
    const [late] = given(filed())
      .when(issue(sh('2023-09-11T00:00:00')))
      .events();
    expect(onTarget).toMatchObject({ data: { late: false } });
    expect(late).toMatchObject({ data: { late: true } });
  });

  it('charges a supplier’s new set to the supplier at the new-set price', () => {
    const supplier = history([
      apply({
        actor: window,
        party: party('FRAMEWORK_SUPPLIER'),
        kind: 'NEW',
        oldCredential: null,
        at: sh('2023-09-05T10:00:00'),
      }),
      { type: 'AcceptFiling', at: sh('2023-09-05T10:10:00'), actor: window },
    ]);
    const [e] = given(supplier)
      .when({ ...issue(), actor: window })
      .events();
    expect(e?.type === 'CredentialSetIssued' && e.data.fees).toEqual([
      { component: 'CA', kind: 'NEW', amountFen: 9700, payer: { kind: 'SELF', partyId: 'framework_supplier-1' } },
      { component: 'SEAL', kind: 'NEW', amountFen: 9500, payer: { kind: 'SELF', partyId: 'framework_supplier-1' } },
    ]);
  });

  it('refuses before filing', () => {
    given(collected()).when(issue()).thenRefuses('STEP_OUT_OF_ORDER');
  });

  it('refuses a validity longer than the policy’s, naming the limit', () => {
    const e = given(filed())
      .when(issue(undefined, component('CA-NEW-0001', sh('2023-09-08T10:00:00'), sh('2024-09-08T10:00:01'))))
      .refusal();
    expect(e.code).toBe('VALIDITY_OUT_OF_RANGE');
    expect(e.message).toContain('ca.validUntil: validity is at most 12 months: until 2024-09-08 10:00 (Asia/Shanghai)');
  });

  it('names every malformed field of the issue', () => {
    const e = given(filed())
      .when(
        issue(
          undefined,
          { serial: 'x', issuer: ' ', validFrom: 'soon', validUntil: sh('2024-09-08T10:00:00') },
          component('x'),
        ),
      )
      .invalidIssues();
    expect(e.map((i) => i.path)).toEqual(['ca.serial', 'ca.issuer', 'ca.validFrom', 'seal.serial', 'seal.serial']);
  });

  it('is not for the party itself', () => {
    given(filed())
      .when({ ...issue(), actor: partyContact })
      .thenRefuses('ROLE_NOT_ALLOWED');
  });
});

describe('unbind old (原CA解绑)', () => {
  it('is allowed on both named days of the transition window', () => {
    given(issued())
      .when(unbind(sh('2023-09-11T00:00:00')))
      .then([
        {
          type: 'OldCredentialUnbound',
          at: sh('2023-09-11T00:00:00'),
          actor: partyContact,
          data: { platform: 'SUCAIYUN' },
        },
      ]);
    expect(
      given(issued())
        .when(unbind(sh('2023-10-11T23:59:59.999')))
        .events(),
    ).toHaveLength(1);
  });

  it.each([
    ['the day before the window', sh('2023-09-10T23:59:59.999')],
    ['the cut-over day', sh('2023-10-12T00:00:00')],
  ])('is refused on %s, naming the window', (_name, at) => {
    const e = given(issued()).when(unbind(at)).refusal();
    expect(e.code).toBe('TRANSITION_WINDOW_CLOSED');
    expect(e.message).toMatch(
      /^TRANSITION_WINDOW_CLOSED: unbinding is allowed 2023-09-11\.\.2023-10-11 \(Asia\/Shanghai\)/,
    );
  });

  it('may happen before the new set is issued', () => {
    expect(given(filed()).when(unbind()).events()).toHaveLength(1);
  });

  it('is refused where there is no old credential or it is not bound there', () => {
    const newSet = history([apply({ kind: 'NEW', oldCredential: null }), collect(), accept(), issue()]);
    given(newSet).when(unbind()).thenRefuses('NO_OLD_CREDENTIAL');
    const unbound = history([apply(), collect(), accept(), issue(), unbind()]);
    given(unbound).when(unbind()).thenRefuses('OLD_CREDENTIAL_NOT_BOUND');
  });

  it('only concerns platforms moving to the new credential', () => {
    const e = given(issued()).when(unbind(undefined, 'CZ_PROCUREMENT')).invalidIssues();
    expect(e).toEqual([{ path: 'platform', rule: expect.stringContaining('SUCAIYUN') }]);
  });
});

describe('bind new (新CA绑定)', () => {
  it('binds after the old credential is unbound, from the transition start', () => {
    const unbound = history([apply(), collect(), accept(), issue(), unbind(sh('2023-09-11T00:00:00'))]);
    given(unbound)
      .when(bind(sh('2023-09-11T00:00:00')))
      .then([
        {
          type: 'NewCredentialBound',
          at: sh('2023-09-11T00:00:00'),
          actor: partyContact,
          data: { platform: 'SUCAIYUN' },
        },
      ]);
  });

  it('is refused before the transition starts, naming the day', () => {
    const newSet = history([apply({ kind: 'NEW', oldCredential: null }), collect(), accept(), issue()]);
    const e = given(newSet)
      .when(bind(sh('2023-09-10T23:59:59.999')))
      .refusal();
    expect(e.code).toBe('TRANSITION_NOT_STARTED');
    expect(e.message).toContain('from 2023-09-11 (Asia/Shanghai)');
  });

  it('binds a new set without an old credential without unbinding', () => {
    const newSet = history([apply({ kind: 'NEW', oldCredential: null }), collect(), accept(), issue()]);
    expect(given(newSet).when(bind()).events()).toHaveLength(1);
  });

  it('is refused while the old credential is still bound to the platform', () => {
    const e = given(issued()).when(bind()).refusal();
    expect(e.code).toBe('OLD_CREDENTIAL_STILL_BOUND');
    expect(e.message).toContain('GX-OLD-0001');
  });

  it('is refused before issue and twice', () => {
    given(history([apply(), collect(), accept(), unbind()]))
      .when(bind())
      .thenRefuses('STEP_OUT_OF_ORDER');
    given(bound())
      .when(bind(sh('2023-09-13T10:00:00')))
      .thenRefuses('ALREADY_BOUND');
  });

  it('stays possible after the cut-over, where the stopped old credential counts as gone, and unblocks the party', () => {
    const blocked = history([apply(), collect(), accept(), issue(), cutOver()]);
    expect(foldCredentialSet(blocked).blockedPlatforms).toEqual(['SUCAIYUN']);
    const decided = given(blocked)
      .when(bind(sh('2023-10-20T09:00:00')))
      .then([
        {
          type: 'NewCredentialBound',
          at: sh('2023-10-20T09:00:00'),
          actor: partyContact,
          data: { platform: 'SUCAIYUN' },
        },
        {
          type: 'PlatformAccessRestored',
          at: sh('2023-10-20T09:00:00'),
          actor: partyContact,
          data: { platform: 'SUCAIYUN' },
        },
      ]);
    // Unblocked means the folded set is no longer blocked there, and is bound there.
    const after = foldCredentialSet([...blocked, ...decided]);
    expect(after.blockedPlatforms).toEqual([]);
    expect(after.boundPlatforms).toEqual(['SUCAIYUN']);
    given([...blocked, ...decided])
      .when(bind(sh('2023-10-21T09:00:00')))
      .thenRefuses('ALREADY_BOUND');
  });

  it('restores only the platform it binds, and records the restoration only where the set was blocked', () => {
    const blockedTwice: CredentialSetEvent[] = [
      ...issued(),
      { type: 'PlatformAccessBlocked', at: sh('2023-10-12T00:00:00'), actor: system, data: { platform: 'SUCAIYUN' } },
      { type: 'PlatformAccessBlocked', at: sh('2023-10-12T00:00:00'), actor: system, data: { platform: 'OTHER' } },
      {
        type: 'PlatformAccessRestored',
        at: sh('2023-10-20T09:00:00'),
        actor: partyContact,
        data: { platform: 'SUCAIYUN' },
      },
    ];
    expect(foldCredentialSet(blockedTwice).blockedPlatforms).toEqual(['OTHER']);
    const unbound = history([apply(), collect(), accept(), issue(), unbind()]);
    expect(
      given(unbound)
        .when(bind())
        .events()
        .map((e) => e.type),
    ).toEqual(['NewCredentialBound']);
  });
});

describe('cut-over (10月12日起只用新CA)', () => {
  it('stops the old credential and blocks a party with nothing new bound', () => {
    given(issued())
      .when(cutOver())
      .then([
        { type: 'OldCredentialStopped', at: sh('2023-10-12T00:00:00'), actor: system, data: { platform: 'SUCAIYUN' } },
        { type: 'PlatformAccessBlocked', at: sh('2023-10-12T00:00:00'), actor: system, data: { platform: 'SUCAIYUN' } },
      ]);
  });

  it('records nothing for a party already bound and unbound in time', () => {
    given(bound()).when(cutOver()).then([]);
  });

  it('blocks a party whose application is still in progress', () => {
    expect(
      given(filed())
        .when(cutOver())
        .events()
        .map((e) => e.type),
    ).toEqual(['OldCredentialStopped', 'PlatformAccessBlocked']);
  });

  it('is refused one millisecond early, naming the instant', () => {
    const e = given(issued())
      .when(cutOver(sh('2023-10-11T23:59:59.999')))
      .refusal();
    expect(e.code).toBe('CUT_OVER_NOT_REACHED');
    expect(e.message).toContain('2023-10-12 00:00 (Asia/Shanghai)');
  });

  it('records once even when the timer fires again', () => {
    const after = history([apply(), collect(), accept(), issue(), cutOver()]);
    given(after)
      .when(cutOver(sh('2023-10-12T00:00:05')))
      .then([]);
  });

  it('is the system’s step, not staff’s', () => {
    expect(
      given(issued())
        .when({ type: 'RecordCutOver', at: sh('2023-10-12T00:00:00'), actor: financeStaff })
        .refusal().code,
    ).toBe('ROLE_NOT_ALLOWED');
  });
});

describe('expire and renew (续期)', () => {
  it('expires at the instant validity ends, not a millisecond before', () => {
    given(bound())
      .when(expire(sh('2024-09-08T09:59:59.999')))
      .thenRefuses('NOT_EXPIRED_YET');
    given(bound())
      .when(expire(sh('2024-09-08T10:00:00')))
      .then([
        {
          type: 'CredentialSetExpired',
          at: sh('2024-09-08T10:00:00'),
          actor: system,
          data: { validUntil: sh('2024-09-08T10:00:00') },
        },
      ]);
  });

  it('opens renewal 30 days before expiry (whole local days) and extends from the old expiry', () => {
    const e = given(bound())
      .when(renew(sh('2024-08-08T23:59:59.999')))
      .refusal();
    expect(e.code).toBe('RENEWAL_WINDOW_NOT_OPEN');
    expect(e.message).toContain('2024-08-09 00:00 (Asia/Shanghai)');
    given(bound())
      .when(renew(sh('2024-08-09T00:00:00')))
      .then([
        {
          type: 'CredentialSetRenewed',
          at: sh('2024-08-09T00:00:00'),
          actor: financeStaff,
          data: {
            previousValidUntil: sh('2024-09-08T10:00:00'),
            validUntil: '2025-09-08T02:00:00.000Z',
            fees: [
              {
                component: 'CA',
                kind: 'RENEWAL',
                amountFen: 5820,
                payer: { kind: 'FINANCE', jurisdiction: 'changzhou' },
              },
              {
                component: 'SEAL',
                kind: 'RENEWAL',
                amountFen: 5700,
                payer: { kind: 'FINANCE', jurisdiction: 'changzhou' },
              },
            ],
          },
        },
      ]);
  });

  it('renews an expired set for a year from the renewal itself', () => {
    const expired = history([...issuedCommands(), expire(sh('2024-09-08T10:00:00'))]);
    expect(foldCredentialSet(expired).status).toBe('EXPIRED');
    const [e] = given(expired)
      .when(renew(sh('2024-10-01T09:00:00')))
      .events();
    expect(e).toMatchObject({ data: { validUntil: '2025-10-01T01:00:00.000Z' } });
  });

  it('refuses to expire twice, or a set not yet issued', () => {
    const expired = history([...issuedCommands(), expire(sh('2024-09-08T10:00:00'))]);
    given(expired)
      .when(expire(sh('2024-09-09T00:00:00')))
      .thenRefuses('STEP_OUT_OF_ORDER');
    given(filed())
      .when(expire(sh('2024-09-09T00:00:00')))
      .thenRefuses('STEP_OUT_OF_ORDER');
  });

  it('walks two yearly expiries with one renewal between them', () => {
    const events = history([
      ...issuedCommands(),
      expire(sh('2024-09-08T10:00:00')),
      renew(sh('2024-09-20T10:00:00')),
      expire(sh('2025-09-20T10:00:00')),
    ]);
    const state = foldCredentialSet(events);
    expect(state).toMatchObject({ status: 'EXPIRED', renewals: 1, validUntil: '2025-09-20T02:00:00.000Z' });
    expect(state.fees.map((f) => `${f.kind}:${f.component}`)).toEqual([
      'REPLACEMENT:CA',
      'REPLACEMENT:SEAL',
      'RENEWAL:CA',
      'RENEWAL:SEAL',
    ]);
  });
});

describe('reissue (补办)', () => {
  // Before the cut-over, so that losing the binding does not yet block the party.
  const reissue = (at = sh('2023-10-01T10:00:00'), reason: 'LOST' | 'DAMAGED' = 'LOST'): CredentialSetCommand => ({
    type: 'ReissueCredentialSet',
    at,
    actor: financeStaff,
    reason,
    ca: component('CA-NEW-0002', sh('2023-10-01T10:00:00'), sh('2024-09-08T10:00:00')),
    seal: component('SEAL-NEW-0002', sh('2023-10-01T10:00:00'), sh('2024-09-08T10:00:00')),
  });

  it('replaces the serials, revokes the previous ones, charges the reissue and needs a new binding', () => {
    const events = given(bound()).when(reissue()).events();
    expect(events).toEqual([
      expect.objectContaining({
        type: 'CredentialSetReissued',
        data: expect.objectContaining({
          reason: 'LOST',
          revokedSerials: ['CA-NEW-0001', 'SEAL-NEW-0001'],
          fees: [
            {
              component: 'CA',
              kind: 'REISSUE',
              amountFen: 5820,
              payer: { kind: 'FINANCE', jurisdiction: 'changzhou' },
            },
            {
              component: 'SEAL',
              kind: 'REISSUE',
              amountFen: 5700,
              payer: { kind: 'FINANCE', jurisdiction: 'changzhou' },
            },
          ],
        }),
      }),
    ]);
    const state = foldCredentialSet([...bound(), ...events]);
    expect(state).toMatchObject({
      status: 'ISSUED',
      boundPlatforms: [],
      revokedSerials: ['CA-NEW-0001', 'SEAL-NEW-0001'],
    });
  });

  it('blocks the party after the cut-over until the reissued set is bound', () => {
    const afterCutOver = [...bound(), ...given(bound()).when(cutOver()).events()];
    expect(
      given(afterCutOver)
        .when(reissue(sh('2023-11-01T10:00:00')))
        .events()
        .map((e) => e.type),
    ).toEqual(['CredentialSetReissued', 'PlatformAccessBlocked']);
    const reissued = [
      ...afterCutOver,
      ...given(afterCutOver)
        .when(reissue(sh('2023-11-01T10:00:00')))
        .events(),
    ];
    expect(foldCredentialSet(reissued).blockedPlatforms).toEqual(['SUCAIYUN']);
    const rebound = [
      ...reissued,
      ...given(reissued)
        .when(bind(sh('2023-11-02T10:00:00')))
        .events(),
    ];
    expect(rebound.slice(-2).map((e) => e.type)).toEqual(['NewCredentialBound', 'PlatformAccessRestored']);
    expect(foldCredentialSet(rebound).blockedPlatforms).toEqual([]);
    expect(foldCredentialSet(rebound).boundPlatforms).toEqual(['SUCAIYUN']);
  });

  it('refuses a rejected set, saying it was rejected at filing', () => {
    const rejected = history([
      apply(),
      collect(),
      { type: 'RejectFiling', at: sh('2023-09-04T15:00:00'), actor: financeStaff, reason: 'x' },
    ]);
    given(rejected).when(reissue()).thenRefuses('STEP_OUT_OF_ORDER', 'set-1 was rejected at filing');
  });

  it('refuses a serial the set already used', () => {
    const reuse: CredentialSetCommand = {
      ...reissue(),
      ca: component('CA-NEW-0001', sh('2023-11-01T10:00:00'), sh('2024-09-08T10:00:00')),
    } as CredentialSetCommand;
    expect(given(bound()).when(reuse).invalidIssues()).toEqual([
      { path: 'ca.serial', rule: 'serial CA-NEW-0001 was already used by this set' },
    ]);
  });

  it('works on an expired set but not before issue nor after revocation', () => {
    const expired = history([...issuedCommands(), expire(sh('2024-09-08T10:00:00'))]);
    expect(
      given(expired)
        .when({
          ...reissue(sh('2024-09-09T10:00:00')),
          ca: component('CA-R-1', sh('2024-09-09T10:00:00'), sh('2025-09-09T10:00:00')),
          seal: component('SEAL-R-1', sh('2024-09-09T10:00:00'), sh('2025-09-09T10:00:00')),
        } as CredentialSetCommand)
        .events()
        .map((e) => e.type),
    ).toEqual(['CredentialSetReissued', 'PlatformAccessBlocked']);
    given(filed()).when(reissue()).thenRefuses('STEP_OUT_OF_ORDER');
    given(revoked()).when(reissue()).thenRefuses('SET_REVOKED');
  });
});

describe('revoke', () => {
  const revoke = (
    reason: 'PARTY_DISSOLVED' | 'APPLICATION_WITHDRAWN' | 'OTHER' = 'PARTY_DISSOLVED',
    note: string | null = null,
  ): CredentialSetCommand => ({
    type: 'RevokeCredentialSet',
    at: sh('2023-12-01T10:00:00'),
    actor: financeStaff,
    reason,
    note,
  });

  it.each([
    ['an application', applied],
    ['a filed set', filed],
    ['a bound set', bound],
  ])('ends %s at any time', (_name, events) => {
    given(events())
      .when(revoke())
      .then([
        {
          type: 'CredentialSetRevoked',
          at: sh('2023-12-01T10:00:00'),
          actor: financeStaff,
          data: { reason: 'PARTY_DISSOLVED', note: null },
        },
      ]);
  });

  it('is terminal: every later step is refused as SET_REVOKED', () => {
    for (const step of [revoke(), bind(sh('2023-12-02T10:00:00')), renew(sh('2024-09-01T10:00:00')), unbind()]) {
      given(revoked()).when(step).thenRefuses('SET_REVOKED');
    }
    given(revoked()).when(cutOver()).then([]);
  });

  it('needs a note when the reason is OTHER', () => {
    expect(given(bound()).when(revoke('OTHER')).invalidIssues()).toEqual([{ path: 'note', rule: 'must not be empty' }]);
    expect(given(bound()).when(revoke('OTHER', '单位合并')).events()).toHaveLength(1);
  });

  it('is finance staff’s decision; an auditor changes nothing', () => {
    given(bound())
      .when({ ...revoke(), actor: auditor })
      .thenRefuses('ROLE_NOT_ALLOWED');
  });
});

describe('a step on a set that does not exist', () => {
  it.each([collect(), accept(), issue(), unbind(), bind(), renew(sh('2024-09-01T10:00:00'))])(
    'refuses $type',
    (command) => {
      given([]).when(command).thenRefuses('STEP_OUT_OF_ORDER');
    },
  );

  it('refuses an instant without an offset', () => {
    expect(given(issued()).when(bind('2023-09-12T10:00:00')).invalidIssues()).toEqual([
      { path: 'at', rule: 'an ISO-8601 instant with offset' },
    ]);
  });
});

describe('the same code on another campaign', () => {
  const urumqi = urumqiPolicy();
  const ur = (local: string) => `${local}+06:00`;

  it('reads the window, cut-over, zone and fees from that policy', () => {
    const commands: CredentialSetCommand[] = [
      apply({
        at: ur('2025-03-05T10:00:00'),
        party: party('BUDGET_UNIT', 'tianshan'),
        oldCredential: { ...oldCredential, boundPlatforms: ['ZCY', 'LOCAL'] },
      }),
      collect(ur('2025-03-06T10:00:00')),
      accept(ur('2025-03-07T10:00:00')),
      issue(
        ur('2025-03-10T10:00:00'),
        component('CA-U-1', ur('2025-03-10T10:00:00'), ur('2027-03-10T10:00:00')),
        component('SEAL-U-1', ur('2025-03-10T10:00:00'), ur('2027-03-10T10:00:00')),
      ),
    ];
    const events = history(commands, urumqi);
    expect(events.at(-1)).toMatchObject({
      data: { fees: [{ amountFen: 5000, payer: { jurisdiction: 'tianshan' } }, { amountFen: 4900 }] },
    });
    // Changzhou's window is over by then; Urumqi's opens 2025-03-24 in its own zone.
    const e = given(events, urumqi)
      .when(unbind(ur('2025-03-23T23:59:59.999'), 'ZCY'))
      .refusal();
    expect(e.message).toContain('unbinding is allowed 2025-03-24..2025-04-30 (Asia/Urumqi)');
    expect(
      given(events, urumqi)
        .when(unbind(ur('2025-03-24T00:00:00'), 'ZCY'))
        .events(),
    ).toHaveLength(1);
    expect(
      given(events, urumqi)
        .when(unbind(ur('2025-03-24T00:00:00'), 'SUCAIYUN'))
        .refusal(),
    ).toBeInstanceOf(ValidationError);
    given(events, urumqi)
      .when(cutOver(ur('2025-05-05T23:59:59.999')))
      .thenRefuses('CUT_OVER_NOT_REACHED');
    given(events, urumqi)
      .when(cutOver(ur('2025-05-06T00:00:00')))
      .then([
        { type: 'OldCredentialStopped', at: ur('2025-05-06T00:00:00'), actor: system, data: { platform: 'ZCY' } },
        { type: 'PlatformAccessBlocked', at: ur('2025-05-06T00:00:00'), actor: system, data: { platform: 'ZCY' } },
      ]);
  });
});

function issuedCommands(): CredentialSetCommand[] {
  return [apply(), collect(), accept(), issue(), unbind(), bind()];
}

function revoked(): CredentialSetEvent[] {
  return history([
    ...issuedCommands(),
    {
      type: 'RevokeCredentialSet',
      at: sh('2023-12-01T10:00:00'),
      actor: financeStaff,
      reason: 'PARTY_DISSOLVED',
      note: null,
    },
  ]);
}

describe('the system’s own next step', () => {
  const cutOverAt = Date.parse('2023-10-12T00:00:00+08:00');

  it('is the cut-over first, then the expiry, and nothing for an ended set', () => {
    expect(dueSystemStep(foldCredentialSet(applied()), changzhou, false)).toEqual({
      type: 'RecordCutOver',
      at: cutOverAt,
    });
    expect(dueSystemStep(foldCredentialSet(bound()), changzhou, false)).toEqual({
      type: 'RecordCutOver',
      at: cutOverAt,
    });
    expect(dueSystemStep(foldCredentialSet(bound()), changzhou, true)).toEqual({
      type: 'ExpireCredentialSet',
      at: Date.parse('2024-09-08T10:00:00+08:00'),
    });
    expect(dueSystemStep(foldCredentialSet(revoked()), changzhou, false)).toBeNull();
    expect(dueSystemStep(foldCredentialSet([]), changzhou, false)).toBeNull();
  });

  it('waits for no expiry while the set is expired, until it is renewed', () => {
    const expired = history([...issuedCommands(), expire(sh('2024-09-08T10:00:00'))]);
    expect(dueSystemStep(foldCredentialSet(expired), changzhou, true)).toBeNull();
  });
});

describe('the state as JSON (stored in read models, carried across continue-as-new, returned by the API)', () => {
  const fields = [
    'status',
    'setId',
    'party',
    'kind',
    'channel',
    'oldCredential',
    'firstSetOfParty',
    'late',
    'appliedAt',
    'issuedAt',
    'ca',
    'seal',
    'validUntil',
    'boundPlatforms',
    'blockedPlatforms',
    'cutOverRecorded',
    'revokedSerials',
    'fees',
    'renewals',
    'rejectionReason',
    'revocation',
    'version',
  ];
  const rejected = () =>
    history([
      apply(),
      collect(),
      { type: 'RejectFiling', at: sh('2023-09-04T15:00:00'), actor: financeStaff, reason: 'x' },
    ]);
  const revokedBeforeIssue = () =>
    history([
      apply(),
      { type: 'RevokeCredentialSet', at: sh('2023-09-03T10:00:00'), actor: financeStaff, reason: 'OTHER', note: 'n' },
    ]);
  const expired = () => history([...issuedCommands(), expire(sh('2024-09-08T10:00:00'))]);

  it.each([
    ['NONE', () => []],
    ['APPLIED', applied],
    ['COLLECTED', collected],
    ['FILED', filed],
    ['REJECTED', rejected],
    ['ISSUED', issued],
    ['EXPIRED', expired],
    ['REVOKED', revoked],
    ['REVOKED', revokedBeforeIssue],
  ] as const)('has every field, in the same order, when %s', (status, events) => {
    const state = foldCredentialSet(events());
    expect(state.status).toBe(status);
    expect(Object.keys(state)).toEqual(fields);
  });

  it('keeps the fields a status does not have, as null', () => {
    expect(foldCredentialSet([])).toMatchObject({ setId: null, party: null, appliedAt: null, ca: null });
    expect(foldCredentialSet(filed())).toMatchObject({ issuedAt: null, ca: null, seal: null, validUntil: null });
    expect(foldCredentialSet(issued())).toMatchObject({ rejectionReason: null, revocation: null });
    expect(foldCredentialSet(rejected())).toMatchObject({ rejectionReason: 'x', issuedAt: null, revocation: null });
    expect(foldCredentialSet(revokedBeforeIssue())).toMatchObject({
      ca: null,
      revocation: { reason: 'OTHER', note: 'n' },
      rejectionReason: null,
    });
  });
});

describe('the folded state, field by field', () => {
  it('after a replacement is bound: the old credential unbound there, judged valid, nothing stopped or blocked', () => {
    expect(foldCredentialSet(bound())).toEqual({
      status: 'ISSUED',
      setId: 'set-1',
      party: party('BUDGET_UNIT'),
      kind: 'REPLACEMENT',
      channel: 'VIA_SUPERVISING_UNIT',
      oldCredential: {
        ...oldCredential,
        boundPlatforms: ['CZ_PROCUREMENT'],
        validOnApplication: true,
        stoppedPlatforms: [],
      },
      firstSetOfParty: true,
      late: { application: false, collection: false, issue: false },
      appliedAt: sh('2023-09-02T09:30:00'),
      issuedAt: sh('2023-09-08T10:00:00'),
      ca: component('CA-NEW-0001'),
      seal: component('SEAL-NEW-0001'),
      validUntil: sh('2024-09-08T10:00:00'),
      boundPlatforms: ['SUCAIYUN'],
      blockedPlatforms: [],
      cutOverRecorded: false,
      revokedSerials: [],
      fees: [
        {
          component: 'CA',
          kind: 'REPLACEMENT',
          amountFen: 5820,
          payer: { kind: 'FINANCE', jurisdiction: 'changzhou' },
        },
        {
          component: 'SEAL',
          kind: 'REPLACEMENT',
          amountFen: 5700,
          payer: { kind: 'FINANCE', jurisdiction: 'changzhou' },
        },
      ],
      renewals: 0,
      rejectionReason: null,
      revocation: null,
      version: 6,
    });
  });

  it('after the cut-over: the old credential stopped, the cut-over recorded, the platform blocked and not bound', () => {
    const state = foldCredentialSet(history([apply(), collect(), accept(), issue(), cutOver()]));
    expect(state.oldCredential?.stoppedPlatforms).toEqual(['SUCAIYUN']);
    expect(state.oldCredential?.validOnApplication).toBe(true);
    expect(state.cutOverRecorded).toBe(true);
    expect(state.blockedPlatforms).toEqual(['SUCAIYUN']);
    expect(state.boundPlatforms).toEqual([]);
    expect(state.version).toBe(6);
  });

  it('a blocked platform is no longer a bound one (a reissue after the cut-over)', () => {
    const bound = foldCredentialSet(history([...issuedCommands()]));
    const blocked = evolveCredentialSet(bound, {
      type: 'PlatformAccessBlocked',
      at: sh('2023-11-01T10:00:00'),
      actor: system,
      data: { platform: 'SUCAIYUN' },
    });
    expect(bound.boundPlatforms).toEqual(['SUCAIYUN']);
    expect(blocked.boundPlatforms).toEqual([]);
    expect(blocked.blockedPlatforms).toEqual(['SUCAIYUN']);
  });

  it('an old credential expired before the application day is recorded as not valid then', () => {
    const expiredOld = { ...oldCredential, validUntil: sh('2023-08-01T00:00:00') };
    expect(foldCredentialSet(history([apply({ oldCredential: expiredOld })])).oldCredential?.validOnApplication).toBe(
      false,
    );
  });

  it('adds the fees of every renewal to those of the issue', () => {
    const renewed = history([...issuedCommands(), renew(sh('2024-08-20T10:00:00'))]);
    const state = foldCredentialSet(renewed);
    expect(state.fees.map((f) => `${f.kind}:${f.component}`)).toEqual([
      'REPLACEMENT:CA',
      'REPLACEMENT:SEAL',
      'RENEWAL:CA',
      'RENEWAL:SEAL',
    ]);
    expect(state.renewals).toBe(1);
  });

  it('refuses to fold an event type it does not know, also one named like an object method', () => {
    for (const type of ['SomethingHappened', 'toString']) {
      const event = { type, at: sh('2023-09-02T09:30:00'), actor: system, data: {} } as unknown as CredentialSetEvent;
      expect(() => evolveCredentialSet(foldCredentialSet([]), event)).toThrow(/INVALID_FIELD: unknown event/);
    }
  });
});

describe('a rejected set has ended', () => {
  const rejected = () =>
    history([
      apply(),
      collect(),
      { type: 'RejectFiling', at: sh('2023-09-04T15:00:00'), actor: financeStaff, reason: 'x' },
    ]);

  it('waits for no step of the system, and the cut-over records nothing for it', () => {
    expect(dueSystemStep(foldCredentialSet(rejected()), changzhou, false)).toBeNull();
    given(rejected()).when(cutOver()).then([]);
  });
});

describe('the checks of an application and an issue, field by field', () => {
  it('names every empty or malformed field of an application', () => {
    const command = {
      ...apply(),
      setId: ' ',
      party: { ...party('BUDGET_UNIT'), partyId: ' ' },
      kind: 'RENEWAL',
      oldCredential: { serial: ' ', validUntil: '2024-03-01', boundPlatforms: [] },
    } as unknown as CredentialSetCommand;
    expect(given([]).when(command).invalidIssues()).toEqual([
      { path: 'setId', rule: ID_RULE },
      { path: 'party.partyId', rule: ID_RULE },
      { path: 'kind', rule: "one of 'NEW', 'REPLACEMENT'" },
      { path: 'oldCredential.serial', rule: 'must not be empty' },
      { path: 'oldCredential.validUntil', rule: 'an ISO-8601 instant with offset' },
    ]);
  });

  it('refuses a missing component, serials with other characters around them, equal serials and bad validity', () => {
    const noSeal = { ...issue(), seal: undefined } as unknown as CredentialSetCommand;
    expect(given(filed()).when(noSeal).invalidIssues()).toEqual([{ path: 'seal', rule: 'required' }]);
    expect(
      given(filed())
        .when(issue(undefined, component('CA-NEW-0001 '), component(' SEAL-NEW-0001')))
        .invalidIssues()
        .map((i) => i.path),
    ).toEqual(['ca.serial', 'seal.serial']);
    expect(
      given(filed())
        .when(issue(undefined, component('SAME-0001'), component('SAME-0001')))
        .invalidIssues(),
    ).toEqual([{ path: 'seal.serial', rule: 'must differ from the CA serial' }]);
    const at = sh('2023-09-08T10:00:00');
    expect(
      given(filed())
        .when(issue(at, component('CA-NEW-0001', at, at), component('SEAL-NEW-0001', sh('2023-09-01T10:00:00'), at)))
        .invalidIssues(),
    ).toEqual([
      { path: 'ca.validUntil', rule: 'must be after validFrom' },
      { path: 'seal.validUntil', rule: 'already past at issuance' },
    ]);
  });

  it('takes the CA’s expiry when it is the earlier one', () => {
    const [e] = given(filed())
      .when(
        issue(undefined, component('CA-NEW-0001', undefined, sh('2024-05-01T00:00:00')), component('SEAL-NEW-0001')),
      )
      .events();
    expect(e?.type === 'CredentialSetIssued' && e.data.validUntil).toBe(sh('2024-05-01T00:00:00'));
  });

  it('refuses a reissue or revocation reason outside its list', () => {
    const base = { at: sh('2023-10-01T10:00:00'), actor: financeStaff };
    const reissue = {
      ...base,
      type: 'ReissueCredentialSet',
      reason: 'STOLEN',
      ca: component('CA-NEW-0002', base.at),
      seal: component('SEAL-NEW-0002', base.at),
    } as unknown as CredentialSetCommand;
    expect(given(bound()).when(reissue).invalidIssues()).toEqual([
      { path: 'reason', rule: "one of 'LOST', 'DAMAGED'" },
    ]);
    const revoke = {
      ...base,
      type: 'RevokeCredentialSet',
      reason: 'BORED',
      note: null,
    } as unknown as CredentialSetCommand;
    expect(given(bound()).when(revoke).invalidIssues()).toEqual([
      { path: 'reason', rule: 'one of PARTY_DISSOLVED, APPLICATION_WITHDRAWN, OTHER' },
    ]);
  });

  it('refuses a command it does not know', () => {
    const unknown = { type: 'PaintCredentialSet', at: sh('2023-10-01T10:00:00'), actor: financeStaff };
    given(bound())
      .when(unknown as unknown as CredentialSetCommand)
      .thenRefuses('INVALID_FIELD', 'unknown command');
  });
});

describe('the cut-over and expiry, at their edges', () => {
  it('blocks a bound set reissued at the cut-over instant itself', () => {
    const reissueAtCutOver = {
      type: 'ReissueCredentialSet',
      at: sh('2023-10-12T00:00:00'),
      actor: financeStaff,
      reason: 'DAMAGED',
      ca: component('CA-NEW-0002', sh('2023-10-11T10:00:00')),
      seal: component('SEAL-NEW-0002', sh('2023-10-11T10:00:00')),
    } as const;
    expect(
      given(bound())
        .when(reissueAtCutOver)
        .events()
        .map((e) => e.type),
    ).toEqual(['CredentialSetReissued', 'PlatformAccessBlocked']);
  });

  it('blocks a new set with no old credential at the cut-over, stopping nothing', () => {
    const centre = history([
      apply({ actor: financeStaff, party: party('PROCUREMENT_CENTER'), kind: 'NEW', oldCredential: null }),
      accept(),
    ]);
    expect(
      given(centre)
        .when(cutOver())
        .events()
        .map((e) => e.type),
    ).toEqual(['PlatformAccessBlocked']);
  });

  it('is the expiry first when the set expires before the cut-over', () => {
    const shortLived = history([
      apply(),
      collect(),
      accept(),
      issue(undefined, component('CA-NEW-0001', undefined, sh('2023-10-01T00:00:00')), component('SEAL-NEW-0001')),
    ]);
    expect(dueSystemStep(foldCredentialSet(shortLived), changzhou, false)).toEqual({
      type: 'ExpireCredentialSet',
      at: Date.parse('2023-10-01T00:00:00+08:00'),
    });
  });
});
