import { changzhouPolicy, urumqiPolicy } from '../testing/policies';
import { type Actor } from '../actor';
import { decideCredentialSet, foldCredentialSet, initialCredentialSetState } from '../credential-set';
import { checkLaunch, planLaunchItem, type LaunchItem } from './launch';
import { decideParty, foldParty, initialPartyState, type PartyDetails } from '../party';

const staff: Actor = { id: 'staff-1', role: 'FINANCE_STAFF' };
const T0 = '2023-09-01T09:00:00+08:00';

const unit = (n: number): PartyDetails => ({
  partyId: `bu-${n}`,
  partyType: 'BUDGET_UNIT',
  name: `常州市某局${n}`,
  jurisdiction: 'changzhou',
  identifier: '11320400014000001T',
  supervisingUnitId: 'bu-0',
  contact: { name: '张三', phone: '0519-85681829' },
});
const item = (n: number, over: Partial<LaunchItem> = {}): LaunchItem => ({
  party: unit(n),
  setId: `set-${n}`,
  kind: 'NEW',
  oldCredential: null,
  ...over,
});

describe('a campaign launch item', () => {
  it.each([
    ['Changzhou 2023', changzhouPolicy()],
    ['Urumqi 2025 (made up)', urumqiPolicy()],
  ])('is exactly the register, open and apply steps taken one by one (%s)', (_, policy) => {
    const party =
      policy.id === changzhouPolicy().id ? unit(1) : { ...unit(1), jurisdiction: policy.jurisdictions[0]!.code };
    const at = policy.id === changzhouPolicy().id ? T0 : `${policy.calendar.applicationsOpen}T11:00:00+06:00`;
    const planned = planLaunchItem({ ...item(1), party }, at, staff, policy);

    const registered = decideParty({ type: 'RegisterParty', at, actor: staff, party }, initialPartyState, policy);
    const opened = decideParty(
      { type: 'OpenCredentialSet', at, actor: staff, setId: 'set-1' },
      foldParty(registered),
      policy,
    );
    expect(planned.partyEvents).toEqual([...registered, ...opened]);
    expect(planned.party).toEqual(foldParty([...registered, ...opened]));
    const applied = decideCredentialSet(
      {
        type: 'ApplyForCredentialSet',
        at,
        actor: staff,
        setId: 'set-1',
        party: {
          partyId: 'bu-1',
          partyType: 'BUDGET_UNIT',
          jurisdiction: party.jurisdiction,
          supervisingUnitId: 'bu-0',
        },
        kind: 'NEW',
        oldCredential: null,
        firstSetOfParty: true,
      },
      initialCredentialSetState,
      policy,
    );
    expect(planned.setEvents).toEqual(applied);
    expect(planned.set).toEqual(foldCredentialSet(applied));
    expect(planned.set.status).not.toBe('NONE');
  });

  it('refuses what a single application would refuse, with the same rule', () => {
    expect(() => planLaunchItem(item(1), T0, { id: 'a', role: 'AUDITOR' }, changzhouPolicy())).toThrow(
      /ROLE_NOT_ALLOWED/,
    );
    expect(() => planLaunchItem(item(1, { kind: 'REPLACEMENT' }), T0, staff, changzhouPolicy())).toThrow(
      /NO_OLD_CREDENTIAL|INVALID_FIELD/,
    );
  });
});

describe('a launch list', () => {
  it('is fine when every item is', () => {
    expect(checkLaunch([item(1), item(2), item(3)], T0, staff, changzhouPolicy())).toEqual([]);
  });

  it('names each bad item by its index and field, and ids used twice', () => {
    const issues = checkLaunch(
      [
        item(1),
        item(2, { party: { ...unit(2), identifier: '123' } }),
        item(3, { setId: 'set-1' }),
        item(1, { setId: 'set-9' }),
        item(5, { party: { ...unit(5), partyId: 'bu-5', contact: { name: '', phone: 'x' } } }),
      ],
      T0,
      staff,
      changzhouPolicy(),
    );
    const paths = issues.map((i) => i.path);
    expect(paths).toContain('items[1].party.identifier');
    expect(paths).toContain('items[2].setId');
    expect(paths).toContain('items[3].party.partyId');
    expect(paths.some((p) => p.startsWith('items[4].party.contact'))).toBe(true);
    expect(paths.some((p) => p.startsWith('items[0]'))).toBe(false);
    expect(issues.find((i) => i.path === 'items[2].setId')?.rule).toBe('same set as items[0]');
  });
});
