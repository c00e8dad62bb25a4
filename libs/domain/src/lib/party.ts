import { requireRole, requireText, type Actor } from './actor';
import { formatLocal, isInstant, isOnOrAfterDay, localDateOf, type Instant } from './calendar';
import { DomainError, ValidationError, type FieldIssue } from './errors';
import { checkCreditCode, checkPhone, makeResidentIdCheck } from './identifiers';
import type { CampaignPolicy } from './policy';
import { jurisdictionOf, PARTY_TYPES, type PartyType } from './policy-model';

/**
 * Party-level rules: registration with validated identifiers, and the one-set rule — a party holds
 * one set unless an approved filing (《CA数字证书办理备案表》, 附件3) allows more (常财购〔2023〕12号 §一(二)5).
 * Sets are opened here first, so two concurrent applications for one party cannot both get a set.
 */

export interface PartyDetails {
  readonly partyId: string;
  readonly partyType: PartyType;
  readonly name: string;
  readonly jurisdiction: string;
  /** Unified social credit code for organisations; resident ID number for experts. */
  readonly identifier: string;
  readonly supervisingUnitId: string | null;
  readonly contact: { readonly name: string; readonly phone: string };
}

interface Step {
  readonly at: Instant;
  readonly actor: Actor;
}

export type PartyCommand =
  | (Step & { readonly type: 'RegisterParty'; readonly party: PartyDetails })
  | (Step & {
      readonly type: 'SubmitAdditionalSetFiling';
      readonly filingId: string;
      readonly additionalSets: number;
      readonly reason: string;
    })
  | (Step & { readonly type: 'ApproveAdditionalSetFiling'; readonly filingId: string })
  | (Step & { readonly type: 'RejectAdditionalSetFiling'; readonly filingId: string; readonly reason: string })
  | (Step & { readonly type: 'OpenCredentialSet'; readonly setId: string })
  | (Step & {
      readonly type: 'CloseCredentialSet';
      readonly setId: string;
      /** A set closed before it was ever issued (rejected, withdrawn) does not count as the party's first. */
      readonly everIssued: boolean;
    });

interface Recorded<T extends string, D> {
  readonly type: T;
  readonly at: Instant;
  readonly actor: Actor;
  readonly data: D;
}

export type PartyEvent =
  | Recorded<'PartyRegistered', { readonly party: PartyDetails }>
  | Recorded<
      'AdditionalSetFilingSubmitted',
      { readonly filingId: string; readonly additionalSets: number; readonly reason: string }
    >
  | Recorded<'AdditionalSetFilingApproved', { readonly filingId: string; readonly additionalSets: number }>
  | Recorded<'AdditionalSetFilingRejected', { readonly filingId: string; readonly reason: string }>
  | Recorded<'CredentialSetOpened', { readonly setId: string; readonly firstSetOfParty: boolean }>
  | Recorded<'CredentialSetClosed', { readonly setId: string; readonly everIssued: boolean }>;

export type PartyEventType = PartyEvent['type'];
export const PARTY_EVENT_TYPES: readonly PartyEventType[] = [
  'PartyRegistered',
  'AdditionalSetFilingSubmitted',
  'AdditionalSetFilingApproved',
  'AdditionalSetFilingRejected',
  'CredentialSetOpened',
  'CredentialSetClosed',
];

export interface PartyState {
  readonly party: PartyDetails | null;
  readonly openSets: readonly string[];
  /** Sets closed after issue: they make any later set a further one. */
  readonly closedIssuedSets: readonly string[];
  readonly filings: Readonly<
    Record<string, { readonly status: 'SUBMITTED' | 'APPROVED' | 'REJECTED'; readonly additionalSets: number }>
  >;
  readonly version: number;
}

export const initialPartyState: PartyState = {
  party: null,
  openSets: [],
  closedIssuedSets: [],
  filings: {},
  version: 0,
};

/** One set, plus what approved filings allow. */
export function allowedSets(state: PartyState): number {
  return 1 + Object.values(state.filings).reduce((n, f) => n + (f.status === 'APPROVED' ? f.additionalSets : 0), 0);
}

export function decideParty(command: PartyCommand, state: PartyState, policy: CampaignPolicy): PartyEvent[] {
  if (!isInstant(command.at)) throw new ValidationError([{ path: 'at', rule: 'an ISO-8601 instant with offset' }]);
  const { at, actor } = command;
  if (command.type !== 'RegisterParty' && state.party === null) {
    throw new DomainError('PARTY_NOT_REGISTERED', `${command.type}: the party is not registered`);
  }
  switch (command.type) {
    case 'RegisterParty': {
      requireRole(actor, policy.operationRoles.REGISTER_PARTY, 'registering a party');
      if (state.party !== null) {
        throw new DomainError('PARTY_ALREADY_REGISTERED', `party ${state.party.partyId} is already registered`, {
          partyId: state.party.partyId,
        });
      }
      validateParty(command.party, policy, localDateOf(at, policy.timeZone));
      return [{ type: 'PartyRegistered', at, actor, data: { party: command.party } }];
    }
    case 'SubmitAdditionalSetFiling': {
      requireRole(actor, policy.operationRoles.SUBMIT_FILING, 'submitting an additional-set filing');
      const opens = policy.calendar.additionalSetFilingsOpen;
      if (!isOnOrAfterDay(at, opens, policy.timeZone)) {
        throw new DomainError(
          'FILING_NOT_OPEN',
          `additional-set filings are accepted from ${opens} (${policy.timeZone}); got ${formatLocal(at, policy.timeZone)}`,
          { opensOn: opens, timeZone: policy.timeZone },
        );
      }
      const issues: FieldIssue[] = [];
      if (!command.filingId?.trim()) issues.push({ path: 'filingId', rule: 'must not be empty' });
      else if (state.filings[command.filingId])
        issues.push({ path: 'filingId', rule: `filing ${command.filingId} already exists` });
      if (!Number.isInteger(command.additionalSets) || command.additionalSets < 1) {
        issues.push({ path: 'additionalSets', rule: 'an integer >= 1' });
      }
      if (!command.reason?.trim()) issues.push({ path: 'reason', rule: 'must not be empty' });
      if (issues.length > 0) throw new ValidationError(issues);
      return [
        {
          type: 'AdditionalSetFilingSubmitted',
          at,
          actor,
          data: { filingId: command.filingId, additionalSets: command.additionalSets, reason: command.reason.trim() },
        },
      ];
    }
    case 'ApproveAdditionalSetFiling':
    case 'RejectAdditionalSetFiling': {
      requireRole(actor, policy.operationRoles.DECIDE_FILING, 'deciding an additional-set filing');
      const filing = state.filings[command.filingId];
      if (!filing)
        throw new DomainError('FILING_UNKNOWN', `no filing ${command.filingId} for this party`, {
          filingId: command.filingId,
        });
      if (filing.status !== 'SUBMITTED') {
        throw new DomainError('FILING_ALREADY_DECIDED', `filing ${command.filingId} is already ${filing.status}`, {
          filingId: command.filingId,
        });
      }
      if (command.type === 'ApproveAdditionalSetFiling') {
        return [
          {
            type: 'AdditionalSetFilingApproved',
            at,
            actor,
            data: { filingId: command.filingId, additionalSets: filing.additionalSets },
          },
        ];
      }
      return [
        {
          type: 'AdditionalSetFilingRejected',
          at,
          actor,
          data: { filingId: command.filingId, reason: requireText(command.reason, 'reason') },
        },
      ];
    }
    case 'OpenCredentialSet': {
      if (state.openSets.includes(command.setId)) {
        throw new DomainError('SET_ALREADY_EXISTS', `set ${command.setId} is already open for this party`, {
          setId: command.setId,
        });
      }
      const allowed = allowedSets(state);
      if (state.openSets.length >= allowed) {
        throw new DomainError(
          'ONE_SET_PER_PARTY',
          `party ${state.party?.partyId} holds ${state.openSets.length} set(s); ${allowed} allowed (1 + ${allowed - 1} by approved filing); file 《CA数字证书办理备案表》 for more`,
          { held: state.openSets.length, allowed },
        );
      }
      return [
        {
          type: 'CredentialSetOpened',
          at,
          actor,
          data: {
            setId: command.setId,
            firstSetOfParty: state.openSets.length === 0 && state.closedIssuedSets.length === 0,
          },
        },
      ];
    }
    case 'CloseCredentialSet': {
      if (!state.openSets.includes(command.setId)) {
        throw new DomainError('STEP_OUT_OF_ORDER', `set ${command.setId} is not open for this party`, {
          setId: command.setId,
        });
      }
      return [
        { type: 'CredentialSetClosed', at, actor, data: { setId: command.setId, everIssued: command.everIssued } },
      ];
    }
  }
}

export function evolveParty(state: PartyState, event: PartyEvent): PartyState {
  const next = { ...state, version: state.version + 1 };
  switch (event.type) {
    case 'PartyRegistered':
      return { ...next, party: event.data.party };
    case 'AdditionalSetFilingSubmitted':
      return {
        ...next,
        filings: {
          ...state.filings,
          [event.data.filingId]: { status: 'SUBMITTED', additionalSets: event.data.additionalSets },
        },
      };
    case 'AdditionalSetFilingApproved':
      return {
        ...next,
        filings: {
          ...state.filings,
          [event.data.filingId]: { status: 'APPROVED', additionalSets: event.data.additionalSets },
        },
      };
    case 'AdditionalSetFilingRejected': {
      const filing = state.filings[event.data.filingId];
      return {
        ...next,
        filings: {
          ...state.filings,
          [event.data.filingId]: { status: 'REJECTED', additionalSets: filing?.additionalSets ?? 0 },
        },
      };
    }
    case 'CredentialSetOpened':
      return { ...next, openSets: [...state.openSets, event.data.setId] };
    case 'CredentialSetClosed':
      return {
        ...next,
        openSets: state.openSets.filter((s) => s !== event.data.setId),
        closedIssuedSets: event.data.everIssued
          ? [...state.closedIssuedSets, event.data.setId]
          : state.closedIssuedSets,
      };
    default: {
      const unknown: never = event;
      throw new DomainError('INVALID_FIELD', `unknown event ${JSON.stringify(unknown)}`);
    }
  }
}

export function foldParty(events: readonly PartyEvent[], from = initialPartyState): PartyState {
  return events.reduce(evolveParty, from);
}

/** Every problem with a party's details, each naming its field. */
export function validateParty(party: PartyDetails, policy: CampaignPolicy, today: string): void {
  const issues: FieldIssue[] = [];
  const text = (value: string | undefined, path: string) => {
    if (typeof value !== 'string' || value.trim() === '') issues.push({ path, rule: 'must not be empty' });
  };
  text(party.partyId, 'partyId');
  text(party.name, 'name');
  text(party.contact?.name, 'contact.name');
  if (!PARTY_TYPES.includes(party.partyType)) {
    issues.push({ path: 'partyType', rule: `one of ${PARTY_TYPES.join(', ')}` });
    throw new ValidationError(issues);
  }
  const type = policy.partyTypes[party.partyType];
  const jurisdiction = policy.jurisdictions.find((j) => j.code === party.jurisdiction);
  if (!jurisdiction) {
    issues.push({ path: 'jurisdiction', rule: `one of ${policy.jurisdictions.map((j) => j.code).join(', ')}` });
  } else if (!type.jurisdictionLevels.includes(jurisdiction.level)) {
    issues.push({
      path: 'jurisdiction',
      rule: `a ${party.partyType} belongs to a ${type.jurisdictionLevels.join(' or ')} jurisdiction`,
    });
  }
  const idCheck = type.identifier === 'CREDIT_CODE' ? checkCreditCode : makeResidentIdCheck(today);
  const idIssue = idCheck(party.identifier ?? '', 'identifier');
  if (idIssue) issues.push(idIssue);
  const phoneIssue = checkPhone(party.contact?.phone ?? '', 'contact.phone');
  if (phoneIssue) issues.push(phoneIssue);
  if (party.partyType !== 'BUDGET_UNIT' && party.supervisingUnitId) {
    issues.push({ path: 'supervisingUnitId', rule: 'only a budget unit applies through a supervising unit' });
  }
  if (issues.length > 0) throw new ValidationError(issues);
  if (jurisdiction) jurisdictionOf(policy, jurisdiction.code);
}
