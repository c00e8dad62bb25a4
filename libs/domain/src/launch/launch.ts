import type { Actor } from '../actor';
import type { Instant } from '../policy/calendar';
import {
  decideCredentialSet,
  foldCredentialSet,
  initialCredentialSetState,
  type CredentialSetEvent,
  type CredentialSetState,
  type OldCredential,
} from '../credential-set';
import { DomainError, ValidationError, type FieldIssue, type RuleCode } from '../errors';
import { arrayIssue } from '../identifiers/grammar';
import {
  decideParty,
  foldParty,
  initialPartyState,
  type PartyDetails,
  type PartyEvent,
  type PartyState,
} from '../party';
import type { CampaignPolicy } from '../policy';

/**
 * A campaign launch: a finance department's list of parties, each registered and given its first
 * set (新办 or 更换) in one go. Each item is decided exactly as the single-party steps decide it
 * (register, open a set, apply), so a launch can refuse nothing a staff member could do by hand
 * and allow nothing they could not.
 */
export interface LaunchItem {
  readonly party: PartyDetails;
  readonly setId: string;
  readonly kind: 'NEW' | 'REPLACEMENT';
  readonly oldCredential: OldCredential | null;
}

export interface PlannedLaunchItem {
  readonly partyEvents: readonly PartyEvent[];
  readonly party: PartyState;
  readonly setEvents: readonly CredentialSetEvent[];
  readonly set: CredentialSetState;
}

/** The first events of the item's party and set streams, and the states they fold to. */
export function planLaunchItem(item: LaunchItem, at: Instant, actor: Actor, policy: CampaignPolicy): PlannedLaunchItem {
  const registered = within('party.', () =>
    decideParty({ type: 'RegisterParty', at, actor, party: item.party }, initialPartyState, policy),
  );
  const afterRegister = foldParty(registered, initialPartyState);
  const opened = decideParty({ type: 'OpenCredentialSet', at, actor, setId: item.setId }, afterRegister, policy);
  const party = foldParty(opened, afterRegister);
  const first = opened.find((e) => e.type === 'CredentialSetOpened');
  const setEvents = decideCredentialSet(
    {
      type: 'ApplyForCredentialSet',
      at,
      actor,
      setId: item.setId,
      party: {
        partyId: item.party.partyId,
        partyType: item.party.partyType,
        jurisdiction: item.party.jurisdiction,
        supervisingUnitId: item.party.supervisingUnitId,
      },
      kind: item.kind,
      oldCredential: item.oldCredential,
      firstSetOfParty: first?.type === 'CredentialSetOpened' ? first.data.firstSetOfParty : false,
    },
    initialCredentialSetState,
    policy,
  );
  return {
    partyEvents: [...registered, ...opened],
    party,
    setEvents,
    set: foldCredentialSet(setEvents, initialCredentialSetState),
  };
}

/** A field problem of a step, named by its place in the launch item. */
function within<T>(prefix: string, decide: () => T): T {
  try {
    return decide();
  } catch (e) {
    if (e instanceof ValidationError)
      throw new ValidationError(e.issues.map((i) => ({ path: `${prefix}${i.path}`, rule: i.rule })));
    throw e;
  }
}

/** The field of an item a rule is about, where it is about one (the others concern the whole item: role, day). */
const RULE_FIELDS: Partial<Record<RuleCode, string>> = {
  PARTY_TYPE_NOT_YET_OPEN: 'party.partyType',
  PARTY_TYPE_MISMATCH: 'party.jurisdiction',
  JURISDICTION_UNKNOWN: 'party.jurisdiction',
  SET_ALREADY_EXISTS: 'setId',
  NO_OLD_CREDENTIAL: 'oldCredential',
};

/** The problems of a whole launch list, each under `items[i]`, plus ids used twice. Empty = all fine. */
export function checkLaunch(
  items: readonly LaunchItem[],
  at: Instant,
  actor: Actor,
  policy: CampaignPolicy,
): FieldIssue[] {
  const tooMany = arrayIssue(items, 'items');
  if (tooMany) return [tooMany];
  const issues: FieldIssue[] = [];
  const parties = new Map<string, number>();
  const sets = new Map<string, number>();
  items.forEach((item, i) => {
    const partyId = item.party.partyId;
    const twice = parties.get(partyId);
    if (twice !== undefined) issues.push({ path: `items[${i}].party.partyId`, rule: `same party as items[${twice}]` });
    else parties.set(partyId, i);
    const setTwice = sets.get(item.setId);
    if (setTwice !== undefined) issues.push({ path: `items[${i}].setId`, rule: `same set as items[${setTwice}]` });
    else sets.set(item.setId, i);
    try {
      planLaunchItem(item, at, actor, policy);
    } catch (e) {
      if (e instanceof ValidationError) {
        for (const issue of e.issues) issues.push({ path: `items[${i}].${issue.path}`, rule: issue.rule });
      } else if (e instanceof DomainError) {
        const field = RULE_FIELDS[e.code];
        issues.push({ path: field ? `items[${i}].${field}` : `items[${i}]`, rule: e.message });
      } else throw e;
    }
  });
  return issues;
}
