import { givenFor } from '../testing/decider';
import { changzhouPolicy, urumqiPolicy } from '../testing/policies';
import { type Actor } from '../actor';
import { DomainError } from '../errors';
import { checkCreditCode, checkResidentId } from '../identifiers/identifiers';
import {
  allowedSets,
  decideParty,
  evolveParty,
  foldParty,
  initialPartyState,
  type PartyCommand,
  type PartyDetails,
  type PartyEvent,
} from '.';

/*
 * Party rules (常财购〔2023〕12号 §一(二)5): registration with validated identifiers, and one set per
 * party unless an approved filing (附件3), accepted from 2023-09-11 (Asia/Shanghai), allows more.
 */

const staff: Actor = { id: 'staff-1', role: 'FINANCE_STAFF' };
const supervisor: Actor = { id: 'sup-unit-1', role: 'SUPERVISING_UNIT' };
const window: Actor = { id: 'window-1', role: 'SERVICE_WINDOW' };
const partyActor: Actor = { id: 'party-user-1', role: 'PARTY' };
const auditor: Actor = { id: 'auditor-1', role: 'AUDITOR' };

const T0 = '2023-09-01T09:00:00+08:00';
const FILINGS_OPEN = '2023-09-11T00:00:00+08:00';
const LATER = '2023-09-12T10:00:00+08:00';

/** Valid per GB 32100-2015: check character computed by hand and confirmed with checkCreditCode below. */
const BUDGET_UNIT_CODE = '11320400014000001T';
const SUPPLIER_CODE = '91320400MA1MXXXXXJ';
/** Valid per GB 11643-1999 (born 1980-01-01). */
const EXPERT_ID = '320402198001011234';

const budgetUnit: PartyDetails = {
  partyId: 'bu-1',
  partyType: 'BUDGET_UNIT',
  name: '常州市某局',
  jurisdiction: 'changzhou',
  identifier: BUDGET_UNIT_CODE,
  supervisingUnitId: 'bu-0',
  contact: { name: '张三', phone: '0519-85681829' },
};

const expert: PartyDetails = {
  partyId: 'ex-1',
  partyType: 'EVALUATION_EXPERT',
  name: '李四',
  jurisdiction: 'wujin',
  identifier: EXPERT_ID,
  supervisingUnitId: null,
  contact: { name: '李四', phone: '13812345678' },
};

const supplier: PartyDetails = {
  partyId: 'sup-1',
  partyType: 'FRAMEWORK_SUPPLIER',
  name: '常州某科技有限公司',
  jurisdiction: 'changzhou',
  identifier: SUPPLIER_CODE,
  supervisingUnitId: null,
  contact: { name: '王五', phone: '+8613912345678' },
};

// ---- given / when / then -----------------------------------------------------------------------

const given = givenFor(decideParty, foldParty, changzhouPolicy);

// ---- event and command builders ----------------------------------------------------------------

const registered = (party: PartyDetails = budgetUnit): PartyEvent => ({
  type: 'PartyRegistered',
  at: T0,
  actor: staff,
  data: { party },
});
const filingSubmitted = (filingId: string, additionalSets: number): PartyEvent => ({
  type: 'AdditionalSetFilingSubmitted',
  at: FILINGS_OPEN,
  actor: supervisor,
  data: { filingId, additionalSets, reason: '两个业务科室分别使用' },
});
const filingApproved = (filingId: string, additionalSets: number): PartyEvent => ({
  type: 'AdditionalSetFilingApproved',
  at: LATER,
  actor: staff,
  data: { filingId, additionalSets },
});
const filingRejected = (filingId: string): PartyEvent => ({
  type: 'AdditionalSetFilingRejected',
  at: LATER,
  actor: staff,
  data: { filingId, reason: '理由不充分' },
});
const opened = (setId: string, firstSetOfParty: boolean): PartyEvent => ({
  type: 'CredentialSetOpened',
  at: LATER,
  actor: staff,
  data: { setId, firstSetOfParty },
});
const closed = (setId: string, everIssued: boolean): PartyEvent => ({
  type: 'CredentialSetClosed',
  at: LATER,
  actor: staff,
  data: { setId, everIssued },
});

const register = (party: PartyDetails, actor: Actor = staff, at = T0): PartyCommand => ({
  type: 'RegisterParty',
  at,
  actor,
  party,
});
const submitFiling = (
  over: Partial<{ filingId: string; additionalSets: number; reason: string; at: string; actor: Actor }> = {},
): PartyCommand => ({
  type: 'SubmitAdditionalSetFiling',
  at: FILINGS_OPEN,
  actor: supervisor,
  filingId: 'filing-1',
  additionalSets: 2,
  reason: '两个业务科室分别使用',
  ...over,
});
const approve = (filingId = 'filing-1', actor: Actor = staff): PartyCommand => ({
  type: 'ApproveAdditionalSetFiling',
  at: LATER,
  actor,
  filingId,
});
const reject = (filingId = 'filing-1', actor: Actor = staff, reason = '理由不充分'): PartyCommand => ({
  type: 'RejectAdditionalSetFiling',
  at: LATER,
  actor,
  filingId,
  reason,
});
const open = (setId: string): PartyCommand => ({ type: 'OpenCredentialSet', at: LATER, actor: staff, setId });
const close = (setId: string, everIssued: boolean): PartyCommand => ({
  type: 'CloseCredentialSet',
  at: LATER,
  actor: staff,
  setId,
  everIssued,
});

// ---------------------------------------------------------------------------------------------

describe('test fixtures', () => {
  it('use identifiers that pass the national checks', () => {
    expect(checkCreditCode(BUDGET_UNIT_CODE, 'identifier')).toBeUndefined();
    expect(checkCreditCode(SUPPLIER_CODE, 'identifier')).toBeUndefined();
    expect(checkResidentId(EXPERT_ID, 'identifier')).toBeUndefined();
    // and one character off does not
    expect(checkCreditCode('11320400014000001U', 'identifier')?.rule).toContain("check character must be 'T'");
  });
});

describe('RegisterParty', () => {
  it('registers a budget unit with a valid unified social credit code', () => {
    given()
      .when(register(budgetUnit))
      .then([{ type: 'PartyRegistered', at: T0, actor: staff, data: { party: budgetUnit } }]);
  });

  it('registers an evaluation expert with a valid resident ID', () => {
    given()
      .when(register(expert))
      .then([{ type: 'PartyRegistered', at: T0, actor: staff, data: { party: expert } }]);
  });

  it('registers a framework supplier at the city level, via the service window', () => {
    expect(given().when(register(supplier, window)).events()).toHaveLength(1);
  });

  it.each([supervisor, window])('may be done by $role', (actor) => {
    expect(given().when(register(budgetUnit, actor)).events()).toHaveLength(1);
  });

  it('is refused when the party is already registered', () => {
    given([registered()]).when(register(budgetUnit)).thenRefuses('PARTY_ALREADY_REGISTERED', 'bu-1');
  });

  it.each([partyActor, auditor])('is refused to role $role', (actor) => {
    given().when(register(budgetUnit, actor)).thenRefuses('ROLE_NOT_ALLOWED', actor.role, 'FINANCE_STAFF');
  });

  it('refuses a bad credit code on field identifier, naming the expected check character', () => {
    const error = given()
      .when(register({ ...budgetUnit, identifier: '11320400014000001U' }))
      .thenInvalid('identifier');
    expect(error.issues[0]?.rule).toContain("'T'");
  });

  it('refuses a credit code of the wrong length on field identifier', () => {
    given()
      .when(register({ ...budgetUnit, identifier: '1132040001400000' }))
      .thenInvalid('identifier');
  });

  it('refuses an expert whose resident ID has a wrong check digit', () => {
    const error = given()
      .when(register({ ...expert, identifier: '320402198001011235' }))
      .thenInvalid('identifier');
    expect(error.issues[0]?.rule).toContain("check character must be '4'");
  });

  it('refuses an expert identified by a credit code: experts carry a resident ID', () => {
    given()
      .when(register({ ...expert, identifier: BUDGET_UNIT_CODE }))
      .thenInvalid('identifier');
  });

  it('judges an expert’s birth date against the registration day in Asia/Shanghai', () => {
    // 320402 20230911 123 + check digit 0: born on 2023-09-11.
    const id = '320402202309111230';
    expect(checkResidentId(id, 'identifier')).toBeUndefined();
    // 00:30 on 11 September in Shanghai is still 10 September in UTC: the birth day is "today", allowed.
    expect(
      given()
        .when(register({ ...expert, identifier: id }, staff, '2023-09-11T00:30:00+08:00'))
        .events(),
    ).toHaveLength(1);
    // The evening before, the birth date is in the future.
    const error = given()
      .when(register({ ...expert, identifier: id }, staff, '2023-09-10T23:30:00+08:00'))
      .thenInvalid('identifier');
    expect(error.issues[0]?.rule).toContain('2023-09-10');
  });

  it('refuses a bad phone on field contact.phone', () => {
    given()
      .when(register({ ...budgetUnit, contact: { name: '张三', phone: '12345' } }))
      .thenInvalid('contact.phone');
  });

  it('refuses a jurisdiction not in the policy’s tree', () => {
    const error = given()
      .when(register({ ...budgetUnit, jurisdiction: 'suzhou' }))
      .thenInvalid('jurisdiction');
    expect(error.issues[0]?.rule).toContain('wujin');
  });

  it('refuses a framework supplier in a DISTRICT jurisdiction (Changzhou suppliers are city-level only)', () => {
    const error = given()
      .when(register({ ...supplier, jurisdiction: 'wujin' }))
      .thenInvalid('jurisdiction');
    expect(error.issues[0]?.rule).toContain('CITY');
  });

  it('accepts a district supplier where the policy allows it (Urumqi)', () => {
    const urumqiSupplier = { ...supplier, jurisdiction: 'tianshan' };
    const at = '2025-03-10T10:00:00+06:00';
    expect(
      given([], urumqiPolicy())
        .when(register(urumqiSupplier, window, at))
        .events(),
    ).toHaveLength(1);
  });

  it.each(['PROCUREMENT_CENTER', 'FRAMEWORK_SUPPLIER', 'SOCIAL_AGENCY'] as const)(
    'refuses supervisingUnitId on a %s (only budget units apply through a supervising unit)',
    (partyType) => {
      given()
        .when(register({ ...budgetUnit, partyType, supervisingUnitId: 'bu-0' }))
        .thenInvalid('supervisingUnitId');
    },
  );

  it('allows a budget unit with no supervising unit (it is one itself)', () => {
    expect(
      given()
        .when(register({ ...budgetUnit, supervisingUnitId: null }))
        .events(),
    ).toHaveLength(1);
  });

  it('names every problem at once, each with its field', () => {
    given()
      .when(
        register({
          ...supplier,
          name: ' ',
          jurisdiction: 'wujin',
          identifier: 'bad',
          supervisingUnitId: 'bu-0',
          contact: { name: '王五', phone: '0519' },
        }),
      )
      .thenInvalid('name', 'jurisdiction', 'identifier', 'contact.phone', 'supervisingUnitId');
  });

  it('refuses an instant without an offset', () => {
    given()
      .when(register(budgetUnit, staff, '2023-09-01T09:00:00'))
      .thenInvalid('at');
  });
});

describe('SubmitAdditionalSetFiling', () => {
  const history = [registered()];

  it('is refused before filings open on 2023-09-11 (Asia/Shanghai), naming the date', () => {
    const error = given(history)
      .when(submitFiling({ at: '2023-09-05T10:00:00+08:00' }))
      .thenRefuses('FILING_NOT_OPEN', '2023-09-11', 'Asia/Shanghai', '2023-09-05 10:00');
    expect(error.details).toMatchObject({ opensOn: '2023-09-11' });
  });

  it('is refused at the last instant of 2023-09-10 in Shanghai', () => {
    given(history)
      .when(submitFiling({ at: '2023-09-10T23:59:59.999+08:00' }))
      .thenRefuses('FILING_NOT_OPEN', '2023-09-11', '2023-09-10 23:59');
  });

  it('is accepted from the first instant of 2023-09-11 in Shanghai', () => {
    expect(
      given(history)
        .when(submitFiling({ at: '2023-09-11T00:00:00+08:00' }))
        .events(),
    ).toEqual([
      {
        type: 'AdditionalSetFilingSubmitted',
        at: '2023-09-11T00:00:00+08:00',
        actor: supervisor,
        data: { filingId: 'filing-1', additionalSets: 2, reason: '两个业务科室分别使用' },
      },
    ]);
  });

  it('judges the day in Shanghai, whatever offset the instant is written with', () => {
    // 2023-09-10T16:00Z is 2023-09-11 00:00 in Shanghai; one millisecond earlier is still the 10th.
    expect(
      given(history)
        .when(submitFiling({ at: '2023-09-10T16:00:00Z' }))
        .events(),
    ).toHaveLength(1);
    given(history)
      .when(submitFiling({ at: '2023-09-10T15:59:59.999Z' }))
      .thenRefuses('FILING_NOT_OPEN');
  });

  it('uses the opening day of the loaded policy (Urumqi: 2025-03-17, Asia/Urumqi)', () => {
    const urumqiHistory = [registered({ ...budgetUnit, jurisdiction: 'urumqi' })];
    given(urumqiHistory, urumqiPolicy())
      .when(submitFiling({ at: '2025-03-16T23:59:59+06:00' }))
      .thenRefuses('FILING_NOT_OPEN', '2025-03-17', 'Asia/Urumqi');
    expect(
      given(urumqiHistory, urumqiPolicy())
        .when(submitFiling({ at: '2025-03-17T00:00:00+06:00' }))
        .events(),
    ).toHaveLength(1);
  });

  it.each([0, -1, 1.5, Number.NaN])('refuses additionalSets %p (must be an integer >= 1)', (additionalSets) => {
    given(history).when(submitFiling({ additionalSets })).thenInvalid('additionalSets');
  });

  it('accepts additionalSets 1', () => {
    expect(
      given(history)
        .when(submitFiling({ additionalSets: 1 }))
        .events(),
    ).toHaveLength(1);
  });

  it('refuses a duplicate filingId', () => {
    const error = given([...history, filingSubmitted('filing-1', 1)])
      .when(submitFiling())
      .thenInvalid('filingId');
    expect(error.issues[0]?.rule).toContain('filing-1');
  });

  it('accepts a second filing with another id', () => {
    expect(
      given([...history, filingSubmitted('filing-1', 1)])
        .when(submitFiling({ filingId: 'filing-2' }))
        .events(),
    ).toHaveLength(1);
  });

  it('refuses an empty reason', () => {
    given(history)
      .when(submitFiling({ reason: '  ' }))
      .thenInvalid('reason');
  });

  it.each([partyActor, window])('is refused to role $role', (actor) => {
    given(history).when(submitFiling({ actor })).thenRefuses('ROLE_NOT_ALLOWED', actor.role);
  });

  it('may be submitted by finance staff too', () => {
    expect(
      given(history)
        .when(submitFiling({ actor: staff }))
        .events(),
    ).toHaveLength(1);
  });
});

describe('Approve / Reject an additional-set filing', () => {
  const submitted = [registered(), filingSubmitted('filing-1', 2)];

  it('approval records the filed number of additional sets', () => {
    given(submitted)
      .when(approve())
      .then([
        {
          type: 'AdditionalSetFilingApproved',
          at: LATER,
          actor: staff,
          data: { filingId: 'filing-1', additionalSets: 2 },
        },
      ]);
  });

  it('rejection records the reason', () => {
    given(submitted)
      .when(reject())
      .then([
        {
          type: 'AdditionalSetFilingRejected',
          at: LATER,
          actor: staff,
          data: { filingId: 'filing-1', reason: '理由不充分' },
        },
      ]);
  });

  it('rejection needs a reason', () => {
    given(submitted)
      .when(reject('filing-1', staff, ' '))
      .thenInvalid('reason');
  });

  it.each([
    ['approve', approve('filing-9')],
    ['reject', reject('filing-9')],
  ])('%s of an unknown filing is FILING_UNKNOWN', (_name, command) => {
    given(submitted).when(command).thenRefuses('FILING_UNKNOWN', 'filing-9');
  });

  it.each([
    ['approve after approval', filingApproved('filing-1', 2), approve(), 'APPROVED'],
    ['reject after approval', filingApproved('filing-1', 2), reject(), 'APPROVED'],
    ['approve after rejection', filingRejected('filing-1'), approve(), 'REJECTED'],
    ['reject after rejection', filingRejected('filing-1'), reject(), 'REJECTED'],
  ] as const)('%s is FILING_ALREADY_DECIDED', (_name, decision, command, status) => {
    given([...submitted, decision])
      .when(command)
      .thenRefuses('FILING_ALREADY_DECIDED', 'filing-1', status);
  });

  it.each([
    ['approve', supervisor],
    ['approve', window],
    ['approve', partyActor],
    ['reject', supervisor],
  ] as const)('%s is refused to role %s', (what, actor) => {
    const command = what === 'approve' ? approve('filing-1', actor) : reject('filing-1', actor);
    given(submitted).when(command).thenRefuses('ROLE_NOT_ALLOWED', actor.role, 'FINANCE_STAFF');
  });
});

describe('OpenCredentialSet: one set per party unless an approved filing allows more', () => {
  const base = [registered()];

  it('opens the first set, marked as the party’s first', () => {
    given(base)
      .when(open('set-1'))
      .then([
        { type: 'CredentialSetOpened', at: LATER, actor: staff, data: { setId: 'set-1', firstSetOfParty: true } },
      ]);
  });

  it('refuses a second set without a filing, naming held and allowed counts', () => {
    const error = given([...base, opened('set-1', true)])
      .when(open('set-2'))
      .thenRefuses('ONE_SET_PER_PARTY', 'bu-1', 'holds 1 set', '1 allowed', 'CA数字证书办理备案表');
    expect(error.details).toEqual({ held: 1, allowed: 1 });
  });

  it('refuses to open the same set id twice', () => {
    given([...base, opened('set-1', true)])
      .when(open('set-1'))
      .thenRefuses('SET_ALREADY_EXISTS', 'set-1');
  });

  describe('after an approved filing for 2 additional sets', () => {
    const approved = [...base, filingSubmitted('filing-1', 2), filingApproved('filing-1', 2)];

    it('allows a 2nd set (a further one)', () => {
      expect(
        given([...approved, opened('set-1', true)])
          .when(open('set-2'))
          .events(),
      ).toEqual([
        { type: 'CredentialSetOpened', at: LATER, actor: staff, data: { setId: 'set-2', firstSetOfParty: false } },
      ]);
    });

    it('allows a 3rd set', () => {
      expect(
        given([...approved, opened('set-1', true), opened('set-2', false)])
          .when(open('set-3'))
          .events(),
      ).toEqual([
        { type: 'CredentialSetOpened', at: LATER, actor: staff, data: { setId: 'set-3', firstSetOfParty: false } },
      ]);
    });

    it('refuses a 4th, naming 3 held and 3 allowed', () => {
      const error = given([...approved, opened('set-1', true), opened('set-2', false), opened('set-3', false)])
        .when(open('set-4'))
        .thenRefuses('ONE_SET_PER_PARTY', 'holds 3 set', '3 allowed', '1 + 2 by approved filing');
      expect(error.details).toEqual({ held: 3, allowed: 3 });
    });
  });

  it('a submitted but not yet approved filing does not allow more', () => {
    const error = given([...base, filingSubmitted('filing-1', 2), opened('set-1', true)])
      .when(open('set-2'))
      .thenRefuses('ONE_SET_PER_PARTY');
    expect(error.details).toEqual({ held: 1, allowed: 1 });
  });

  it('a rejected filing does not allow more', () => {
    const error = given([...base, filingSubmitted('filing-1', 2), filingRejected('filing-1'), opened('set-1', true)])
      .when(open('set-2'))
      .thenRefuses('ONE_SET_PER_PARTY');
    expect(error.details).toEqual({ held: 1, allowed: 1 });
  });

  it('two approved filings add up', () => {
    const history = [
      ...base,
      filingSubmitted('filing-1', 1),
      filingApproved('filing-1', 1),
      filingSubmitted('filing-2', 1),
      filingApproved('filing-2', 1),
      opened('set-1', true),
      opened('set-2', false),
    ];
    expect(given(history).when(open('set-3')).events()).toHaveLength(1);
    given([...history, opened('set-3', false)])
      .when(open('set-4'))
      .thenRefuses('ONE_SET_PER_PARTY', '3 allowed');
  });

  it('closing a never-issued set frees the slot, and the next set is still the party’s first', () => {
    expect(
      given([...base, opened('set-1', true), closed('set-1', false)])
        .when(open('set-2'))
        .events(),
    ).toEqual([
      { type: 'CredentialSetOpened', at: LATER, actor: staff, data: { setId: 'set-2', firstSetOfParty: true } },
    ]);
  });

  it('closing an issued set frees the slot, but the next set is a further one', () => {
    expect(
      given([...base, opened('set-1', true), closed('set-1', true)])
        .when(open('set-2'))
        .events(),
    ).toEqual([
      { type: 'CredentialSetOpened', at: LATER, actor: staff, data: { setId: 'set-2', firstSetOfParty: false } },
    ]);
  });

  it('an issued set closed long ago still makes a later set a further one', () => {
    const history = [
      ...base,
      opened('set-1', true),
      closed('set-1', true),
      opened('set-2', false),
      closed('set-2', false),
    ];
    expect(given(history).when(open('set-3')).events()[0]).toMatchObject({
      data: { setId: 'set-3', firstSetOfParty: false },
    });
  });

  it.each([
    ['OpenCredentialSet', open('set-1')],
    ['CloseCredentialSet', close('set-1', false)],
    ['SubmitAdditionalSetFiling', submitFiling()],
    ['ApproveAdditionalSetFiling', approve()],
    ['RejectAdditionalSetFiling', reject()],
  ])('%s for an unregistered party is PARTY_NOT_REGISTERED', (type, command) => {
    given([]).when(command).thenRefuses('PARTY_NOT_REGISTERED', type);
  });
});

describe('CloseCredentialSet', () => {
  it('records whether the set was ever issued', () => {
    expect(
      given([registered(), opened('set-1', true)])
        .when(close('set-1', true))
        .events(),
    ).toEqual([{ type: 'CredentialSetClosed', at: LATER, actor: staff, data: { setId: 'set-1', everIssued: true } }]);
  });

  it('refuses a set that is not open', () => {
    given([registered(), opened('set-1', true)])
      .when(close('set-2', false))
      .thenRefuses('STEP_OUT_OF_ORDER', 'set-2');
    given([registered(), opened('set-1', true), closed('set-1', true)])
      .when(close('set-1', true))
      .thenRefuses('STEP_OUT_OF_ORDER');
  });
});

describe('evolveParty / foldParty / allowedSets', () => {
  it('starts empty', () => {
    expect(initialPartyState).toEqual({ party: null, openSets: [], closedIssuedSets: [], filings: {}, version: 0 });
    expect(allowedSets(initialPartyState)).toBe(1);
    expect(foldParty([])).toBe(initialPartyState);
  });

  it('each event raises the version by one', () => {
    const events = [registered(), opened('set-1', true), closed('set-1', false)];
    expect(foldParty(events).version).toBe(3);
    expect(evolveParty(initialPartyState, registered()).version).toBe(1);
  });

  it('tracks the party, filings, open and closed-issued sets', () => {
    const state = foldParty([
      registered(),
      filingSubmitted('filing-1', 2),
      filingApproved('filing-1', 2),
      filingSubmitted('filing-2', 5),
      filingRejected('filing-2'),
      filingSubmitted('filing-3', 4),
      opened('set-1', true),
      opened('set-2', false),
      opened('set-3', false),
      closed('set-1', true),
      closed('set-2', false),
    ]);
    expect(state).toEqual({
      party: budgetUnit,
      openSets: ['set-3'],
      closedIssuedSets: ['set-1'],
      filings: {
        'filing-1': { status: 'APPROVED', additionalSets: 2 },
        'filing-2': { status: 'REJECTED', additionalSets: 5 },
        'filing-3': { status: 'SUBMITTED', additionalSets: 4 },
      },
      version: 11,
    });
    // 1 + approved only: the rejected 5 and the pending 4 do not count.
    expect(allowedSets(state)).toBe(3);
  });

  it('allowedSets sums every approved filing', () => {
    const state = foldParty([
      registered(),
      filingSubmitted('a', 1),
      filingApproved('a', 1),
      filingSubmitted('b', 3),
      filingApproved('b', 3),
    ]);
    expect(allowedSets(state)).toBe(5);
  });

  it('does not mutate the state it evolves', () => {
    const before = foldParty([registered(), opened('set-1', true)]);
    const snapshot = JSON.parse(JSON.stringify(before)) as unknown;
    evolveParty(before, closed('set-1', true));
    evolveParty(before, filingSubmitted('f', 1));
    expect(before).toEqual(snapshot);
  });

  it('folding from a snapshot equals folding the whole history', () => {
    const events = [
      registered(),
      filingSubmitted('f', 1),
      filingApproved('f', 1),
      opened('s1', true),
      opened('s2', false),
    ];
    expect(foldParty(events.slice(3), foldParty(events.slice(0, 3)))).toEqual(foldParty(events));
  });

  it('decisions fed back through evolveParty reproduce the one-set rule', () => {
    const policy = changzhouPolicy();
    let state = initialPartyState;
    const apply = (command: PartyCommand) => {
      for (const e of decideParty(command, state, policy)) state = evolveParty(state, e);
    };
    const codeOf = (fn: () => void): string | undefined => {
      try {
        fn();
      } catch (error) {
        return error instanceof DomainError ? error.code : String(error);
      }
      return undefined;
    };
    apply(register(budgetUnit));
    apply(open('set-1'));
    expect(codeOf(() => apply(open('set-2')))).toBe('ONE_SET_PER_PARTY');
    apply(submitFiling({ additionalSets: 1 }));
    expect(codeOf(() => apply(open('set-2')))).toBe('ONE_SET_PER_PARTY');
    apply(approve());
    apply(open('set-2'));
    expect(state.openSets).toEqual(['set-1', 'set-2']);
    expect(allowedSets(state)).toBe(2);
  });
});

describe('the party state as JSON', () => {
  it('has every field, in the same order, before and after registration', () => {
    const fields = ['party', 'openSets', 'closedIssuedSets', 'filings', 'version'];
    expect(Object.keys(foldParty([]))).toEqual(fields);
    expect(foldParty([]).party).toBeNull();
    expect(Object.keys(foldParty([registered(), opened('set-1', true)]))).toEqual(fields);
  });
});

describe('party checks, field by field', () => {
  it('names an empty filing id, and records the filing reason trimmed', () => {
    const history = [registered()];
    given(history)
      .when(submitFiling({ filingId: ' ' }))
      .thenInvalid('filingId');
    const [event] = given(history)
      .when(submitFiling({ reason: ' 两个科室 ' }))
      .events();
    expect(event?.type === 'AdditionalSetFilingSubmitted' && event.data.reason).toBe('两个科室');
  });

  it('refuses an unknown party type, naming it with the other empty fields', () => {
    const party = { ...budgetUnit, partyType: 'CHARITY', name: ' ' } as unknown as PartyDetails;
    const error = given().when(register(party)).thenInvalid('name', 'partyType');
    expect(error.issues[1]?.rule).toContain('BUDGET_UNIT');
  });

  it('refuses a command and an event it does not know', () => {
    const unknown = { type: 'RenameParty', at: LATER, actor: staff } as unknown as PartyCommand;
    given([registered()]).when(unknown).thenRefuses('INVALID_FIELD', 'unknown command');
    const event = { type: 'constructor', at: LATER, actor: staff, data: {} } as unknown as PartyEvent;
    expect(() => evolveParty(initialPartyState, event)).toThrow(/INVALID_FIELD: unknown event/);
  });
});
