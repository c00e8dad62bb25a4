import { changzhouPolicy, urumqiPolicy } from '../testing/policies';
import { type Actor } from '../actor';
import { DomainError, ValidationError, type RuleCode } from '../errors';
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
import { type CampaignPolicy } from '../policy';

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

type Outcome = { readonly ok: true; readonly events: PartyEvent[] } | { readonly ok: false; readonly error: unknown };

function given(history: readonly PartyEvent[] = [], policy: CampaignPolicy = changzhouPolicy()) {
  const state = foldParty(history);
  return {
    when(command: PartyCommand): Outcome {
      try {
        return { ok: true, events: decideParty(command, state, policy) };
      } catch (error) {
        return { ok: false, error };
      }
    },
  };
}

function thenEvents(outcome: Outcome): PartyEvent[] {
  if (outcome.ok) return outcome.events;
  throw outcome.error instanceof Error ? outcome.error : new Error(`expected events, got ${String(outcome.error)}`);
}

/** The refusal, asserting its code and that the message names every fragment. */
function thenRefused(outcome: Outcome, code: RuleCode, ...fragments: string[]): DomainError {
  if (outcome.ok) throw new Error(`expected ${code}, got events ${JSON.stringify(outcome.events)}`);
  expect(outcome.error).toBeInstanceOf(DomainError);
  const error = outcome.error as DomainError;
  expect(error.code).toBe(code);
  for (const fragment of fragments) expect(error.message).toContain(fragment);
  return error;
}

/** A ValidationError naming exactly these field paths. */
function thenInvalid(outcome: Outcome, ...paths: string[]): ValidationError {
  const error = thenRefused(outcome, 'INVALID_FIELD', ...paths);
  expect(error).toBeInstanceOf(ValidationError);
  const issues = (error as ValidationError).issues;
  expect(issues.map((i) => i.path)).toEqual(paths);
  return error as ValidationError;
}

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
    expect(thenEvents(given().when(register(budgetUnit)))).toEqual([
      { type: 'PartyRegistered', at: T0, actor: staff, data: { party: budgetUnit } },
    ]);
  });

  it('registers an evaluation expert with a valid resident ID', () => {
    expect(thenEvents(given().when(register(expert)))).toEqual([
      { type: 'PartyRegistered', at: T0, actor: staff, data: { party: expert } },
    ]);
  });

  it('registers a framework supplier at the city level, via the service window', () => {
    expect(thenEvents(given().when(register(supplier, window)))).toHaveLength(1);
  });

  it.each([supervisor, window])('may be done by $role', (actor) => {
    expect(thenEvents(given().when(register(budgetUnit, actor)))).toHaveLength(1);
  });

  it('is refused when the party is already registered', () => {
    thenRefused(given([registered()]).when(register(budgetUnit)), 'PARTY_ALREADY_REGISTERED', 'bu-1');
  });

  it.each([partyActor, auditor])('is refused to role $role', (actor) => {
    thenRefused(given().when(register(budgetUnit, actor)), 'ROLE_NOT_ALLOWED', actor.role, 'FINANCE_STAFF');
  });

  it('refuses a bad credit code on field identifier, naming the expected check character', () => {
    const error = thenInvalid(
      given().when(register({ ...budgetUnit, identifier: '11320400014000001U' })),
      'identifier',
    );
    expect(error.issues[0]?.rule).toContain("'T'");
  });

  it('refuses a credit code of the wrong length on field identifier', () => {
    thenInvalid(given().when(register({ ...budgetUnit, identifier: '1132040001400000' })), 'identifier');
  });

  it('refuses an expert whose resident ID has a wrong check digit', () => {
    const error = thenInvalid(given().when(register({ ...expert, identifier: '320402198001011235' })), 'identifier');
    expect(error.issues[0]?.rule).toContain("check character must be '4'");
  });

  it('refuses an expert identified by a credit code: experts carry a resident ID', () => {
    thenInvalid(given().when(register({ ...expert, identifier: BUDGET_UNIT_CODE })), 'identifier');
  });

  it('judges an expert’s birth date against the registration day in Asia/Shanghai', () => {
    // 320402 20230911 123 + check digit 0: born on 2023-09-11.
    const id = '320402202309111230';
    expect(checkResidentId(id, 'identifier')).toBeUndefined();
    // 00:30 on 11 September in Shanghai is still 10 September in UTC: the birth day is "today", allowed.
    expect(
      thenEvents(given().when(register({ ...expert, identifier: id }, staff, '2023-09-11T00:30:00+08:00'))),
    ).toHaveLength(1);
    // The evening before, the birth date is in the future.
    const error = thenInvalid(
      given().when(register({ ...expert, identifier: id }, staff, '2023-09-10T23:30:00+08:00')),
      'identifier',
    );
    expect(error.issues[0]?.rule).toContain('2023-09-10');
  });

  it('refuses a bad phone on field contact.phone', () => {
    thenInvalid(given().when(register({ ...budgetUnit, contact: { name: '张三', phone: '12345' } })), 'contact.phone');
  });

  it('refuses a jurisdiction not in the policy’s tree', () => {
    const error = thenInvalid(given().when(register({ ...budgetUnit, jurisdiction: 'suzhou' })), 'jurisdiction');
    expect(error.issues[0]?.rule).toContain('wujin');
  });

  it('refuses a framework supplier in a DISTRICT jurisdiction (Changzhou suppliers are city-level only)', () => {
    const error = thenInvalid(given().when(register({ ...supplier, jurisdiction: 'wujin' })), 'jurisdiction');
    expect(error.issues[0]?.rule).toContain('CITY');
  });

  it('accepts a district supplier where the policy allows it (Urumqi)', () => {
    const urumqiSupplier = { ...supplier, jurisdiction: 'tianshan' };
    const at = '2025-03-10T10:00:00+06:00';
    expect(thenEvents(given([], urumqiPolicy()).when(register(urumqiSupplier, window, at)))).toHaveLength(1);
  });

  it.each(['PROCUREMENT_CENTER', 'FRAMEWORK_SUPPLIER', 'SOCIAL_AGENCY'] as const)(
    'refuses supervisingUnitId on a %s (only budget units apply through a supervising unit)',
    (partyType) => {
      thenInvalid(given().when(register({ ...budgetUnit, partyType, supervisingUnitId: 'bu-0' })), 'supervisingUnitId');
    },
  );

  it('allows a budget unit with no supervising unit (it is one itself)', () => {
    expect(thenEvents(given().when(register({ ...budgetUnit, supervisingUnitId: null })))).toHaveLength(1);
  });

  it('names every problem at once, each with its field', () => {
    thenInvalid(
      given().when(
        register({
          ...supplier,
          name: ' ',
          jurisdiction: 'wujin',
          identifier: 'bad',
          supervisingUnitId: 'bu-0',
          contact: { name: '王五', phone: '0519' },
        }),
      ),
      'name',
      'jurisdiction',
      'identifier',
      'contact.phone',
      'supervisingUnitId',
    );
  });

  it('refuses an instant without an offset', () => {
    thenInvalid(given().when(register(budgetUnit, staff, '2023-09-01T09:00:00')), 'at');
  });
});

describe('SubmitAdditionalSetFiling', () => {
  const history = [registered()];

  it('is refused before filings open on 2023-09-11 (Asia/Shanghai), naming the date', () => {
    const error = thenRefused(
      given(history).when(submitFiling({ at: '2023-09-05T10:00:00+08:00' })),
      'FILING_NOT_OPEN',
      '2023-09-11',
      'Asia/Shanghai',
      '2023-09-05 10:00',
    );
    expect(error.details).toMatchObject({ opensOn: '2023-09-11' });
  });

  it('is refused at the last instant of 2023-09-10 in Shanghai', () => {
    thenRefused(
      given(history).when(submitFiling({ at: '2023-09-10T23:59:59.999+08:00' })),
      'FILING_NOT_OPEN',
      '2023-09-11',
      '2023-09-10 23:59',
    );
  });

  it('is accepted from the first instant of 2023-09-11 in Shanghai', () => {
    expect(thenEvents(given(history).when(submitFiling({ at: '2023-09-11T00:00:00+08:00' })))).toEqual([
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
    expect(thenEvents(given(history).when(submitFiling({ at: '2023-09-10T16:00:00Z' })))).toHaveLength(1);
    thenRefused(given(history).when(submitFiling({ at: '2023-09-10T15:59:59.999Z' })), 'FILING_NOT_OPEN');
  });

  it('uses the opening day of the loaded policy (Urumqi: 2025-03-17, Asia/Urumqi)', () => {
    const urumqiHistory = [registered({ ...budgetUnit, jurisdiction: 'urumqi' })];
    thenRefused(
      given(urumqiHistory, urumqiPolicy()).when(submitFiling({ at: '2025-03-16T23:59:59+06:00' })),
      'FILING_NOT_OPEN',
      '2025-03-17',
      'Asia/Urumqi',
    );
    expect(
      thenEvents(given(urumqiHistory, urumqiPolicy()).when(submitFiling({ at: '2025-03-17T00:00:00+06:00' }))),
    ).toHaveLength(1);
  });

  it.each([0, -1, 1.5, Number.NaN])('refuses additionalSets %p (must be an integer >= 1)', (additionalSets) => {
    thenInvalid(given(history).when(submitFiling({ additionalSets })), 'additionalSets');
  });

  it('accepts additionalSets 1', () => {
    expect(thenEvents(given(history).when(submitFiling({ additionalSets: 1 })))).toHaveLength(1);
  });

  it('refuses a duplicate filingId', () => {
    const error = thenInvalid(given([...history, filingSubmitted('filing-1', 1)]).when(submitFiling()), 'filingId');
    expect(error.issues[0]?.rule).toContain('filing-1');
  });

  it('accepts a second filing with another id', () => {
    expect(
      thenEvents(given([...history, filingSubmitted('filing-1', 1)]).when(submitFiling({ filingId: 'filing-2' }))),
    ).toHaveLength(1);
  });

  it('refuses an empty reason', () => {
    thenInvalid(given(history).when(submitFiling({ reason: '  ' })), 'reason');
  });

  it.each([partyActor, window])('is refused to role $role', (actor) => {
    thenRefused(given(history).when(submitFiling({ actor })), 'ROLE_NOT_ALLOWED', actor.role);
  });

  it('may be submitted by finance staff too', () => {
    expect(thenEvents(given(history).when(submitFiling({ actor: staff })))).toHaveLength(1);
  });
});

describe('Approve / Reject an additional-set filing', () => {
  const submitted = [registered(), filingSubmitted('filing-1', 2)];

  it('approval records the filed number of additional sets', () => {
    expect(thenEvents(given(submitted).when(approve()))).toEqual([
      {
        type: 'AdditionalSetFilingApproved',
        at: LATER,
        actor: staff,
        data: { filingId: 'filing-1', additionalSets: 2 },
      },
    ]);
  });

  it('rejection records the reason', () => {
    expect(thenEvents(given(submitted).when(reject()))).toEqual([
      {
        type: 'AdditionalSetFilingRejected',
        at: LATER,
        actor: staff,
        data: { filingId: 'filing-1', reason: '理由不充分' },
      },
    ]);
  });

  it('rejection needs a reason', () => {
    thenInvalid(given(submitted).when(reject('filing-1', staff, ' ')), 'reason');
  });

  it.each([
    ['approve', approve('filing-9')],
    ['reject', reject('filing-9')],
  ])('%s of an unknown filing is FILING_UNKNOWN', (_name, command) => {
    thenRefused(given(submitted).when(command), 'FILING_UNKNOWN', 'filing-9');
  });

  it.each([
    ['approve after approval', filingApproved('filing-1', 2), approve(), 'APPROVED'],
    ['reject after approval', filingApproved('filing-1', 2), reject(), 'APPROVED'],
    ['approve after rejection', filingRejected('filing-1'), approve(), 'REJECTED'],
    ['reject after rejection', filingRejected('filing-1'), reject(), 'REJECTED'],
  ] as const)('%s is FILING_ALREADY_DECIDED', (_name, decision, command, status) => {
    thenRefused(given([...submitted, decision]).when(command), 'FILING_ALREADY_DECIDED', 'filing-1', status);
  });

  it.each([
    ['approve', supervisor],
    ['approve', window],
    ['approve', partyActor],
    ['reject', supervisor],
  ] as const)('%s is refused to role %s', (what, actor) => {
    const command = what === 'approve' ? approve('filing-1', actor) : reject('filing-1', actor);
    thenRefused(given(submitted).when(command), 'ROLE_NOT_ALLOWED', actor.role, 'FINANCE_STAFF');
  });
});

describe('OpenCredentialSet: one set per party unless an approved filing allows more', () => {
  const base = [registered()];

  it('opens the first set, marked as the party’s first', () => {
    expect(thenEvents(given(base).when(open('set-1')))).toEqual([
      { type: 'CredentialSetOpened', at: LATER, actor: staff, data: { setId: 'set-1', firstSetOfParty: true } },
    ]);
  });

  it('refuses a second set without a filing, naming held and allowed counts', () => {
    const error = thenRefused(
      given([...base, opened('set-1', true)]).when(open('set-2')),
      'ONE_SET_PER_PARTY',
      'bu-1',
      'holds 1 set',
      '1 allowed',
      'CA数字证书办理备案表',
    );
    expect(error.details).toEqual({ held: 1, allowed: 1 });
  });

  it('refuses to open the same set id twice', () => {
    thenRefused(given([...base, opened('set-1', true)]).when(open('set-1')), 'SET_ALREADY_EXISTS', 'set-1');
  });

  describe('after an approved filing for 2 additional sets', () => {
    const approved = [...base, filingSubmitted('filing-1', 2), filingApproved('filing-1', 2)];

    it('allows a 2nd set (a further one)', () => {
      expect(thenEvents(given([...approved, opened('set-1', true)]).when(open('set-2')))).toEqual([
        { type: 'CredentialSetOpened', at: LATER, actor: staff, data: { setId: 'set-2', firstSetOfParty: false } },
      ]);
    });

    it('allows a 3rd set', () => {
      expect(
        thenEvents(given([...approved, opened('set-1', true), opened('set-2', false)]).when(open('set-3'))),
      ).toEqual([
        { type: 'CredentialSetOpened', at: LATER, actor: staff, data: { setId: 'set-3', firstSetOfParty: false } },
      ]);
    });

    it('refuses a 4th, naming 3 held and 3 allowed', () => {
      const error = thenRefused(
        given([...approved, opened('set-1', true), opened('set-2', false), opened('set-3', false)]).when(open('set-4')),
        'ONE_SET_PER_PARTY',
        'holds 3 set',
        '3 allowed',
        '1 + 2 by approved filing',
      );
      expect(error.details).toEqual({ held: 3, allowed: 3 });
    });
  });

  it('a submitted but not yet approved filing does not allow more', () => {
    const error = thenRefused(
      given([...base, filingSubmitted('filing-1', 2), opened('set-1', true)]).when(open('set-2')),
      'ONE_SET_PER_PARTY',
    );
    expect(error.details).toEqual({ held: 1, allowed: 1 });
  });

  it('a rejected filing does not allow more', () => {
    const error = thenRefused(
      given([...base, filingSubmitted('filing-1', 2), filingRejected('filing-1'), opened('set-1', true)]).when(
        open('set-2'),
      ),
      'ONE_SET_PER_PARTY',
    );
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
    expect(thenEvents(given(history).when(open('set-3')))).toHaveLength(1);
    thenRefused(given([...history, opened('set-3', false)]).when(open('set-4')), 'ONE_SET_PER_PARTY', '3 allowed');
  });

  it('closing a never-issued set frees the slot, and the next set is still the party’s first', () => {
    expect(thenEvents(given([...base, opened('set-1', true), closed('set-1', false)]).when(open('set-2')))).toEqual([
      { type: 'CredentialSetOpened', at: LATER, actor: staff, data: { setId: 'set-2', firstSetOfParty: true } },
    ]);
  });

  it('closing an issued set frees the slot, but the next set is a further one', () => {
    expect(thenEvents(given([...base, opened('set-1', true), closed('set-1', true)]).when(open('set-2')))).toEqual([
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
    expect(thenEvents(given(history).when(open('set-3')))[0]).toMatchObject({
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
    thenRefused(given([]).when(command), 'PARTY_NOT_REGISTERED', type);
  });
});

describe('CloseCredentialSet', () => {
  it('records whether the set was ever issued', () => {
    expect(thenEvents(given([registered(), opened('set-1', true)]).when(close('set-1', true)))).toEqual([
      { type: 'CredentialSetClosed', at: LATER, actor: staff, data: { setId: 'set-1', everIssued: true } },
    ]);
  });

  it('refuses a set that is not open', () => {
    thenRefused(given([registered(), opened('set-1', true)]).when(close('set-2', false)), 'STEP_OUT_OF_ORDER', 'set-2');
    thenRefused(
      given([registered(), opened('set-1', true), closed('set-1', true)]).when(close('set-1', true)),
      'STEP_OUT_OF_ORDER',
    );
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
