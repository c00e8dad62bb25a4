import { requireRole, requireText, type Actor } from './actor';
import {
  addDays,
  addMonths,
  formatLocal,
  formatWindow,
  isInstant,
  isOnOrAfterDay,
  isOnOrBeforeDay,
  isWithinWindow,
  isWorkday,
  localDateOf,
  startOfDay,
  toInstant,
  toMillis,
  type Instant,
} from './calendar';
import { DomainError, ValidationError, type FieldIssue } from './errors';
import { feeItems, type FeeItem } from './fees';
import type { CampaignPolicy } from './policy';
import { cutOverDay, jurisdictionOf, type Channel, type PartyType } from './policy-model';

/**
 * The lifecycle of one credential set (一套: a CA certificate plus an e-seal), DOMAIN.md §3, as
 * decide(command, state, policy) → events and evolve(state, event) → state. Time and actor come
 * with the command; nothing here reads the clock. The workflow, the API and the auditor's replay
 * all fold events with this `evolve`.
 */

export interface PartyRef {
  readonly partyId: string;
  readonly partyType: PartyType;
  readonly jurisdiction: string;
  /** The 主管预算单位 a budget unit applies through; null for everyone else. */
  readonly supervisingUnitId: string | null;
}

/** The credential being replaced (原国信CA和电子签章). */
export interface OldCredential {
  readonly serial: string;
  readonly validUntil: Instant;
  /** Platforms it is bound to when the application is made. */
  readonly boundPlatforms: readonly string[];
}

/** One issued component: the CA certificate or the seal. */
export interface IssuedComponent {
  readonly serial: string;
  readonly issuer: string;
  readonly validFrom: Instant;
  readonly validUntil: Instant;
}

export type ApplicationKind = 'NEW' | 'REPLACEMENT';
export type ReissueReason = 'LOST' | 'DAMAGED';
export type RevocationReason = 'PARTY_DISSOLVED' | 'APPLICATION_WITHDRAWN' | 'OTHER';

interface Step {
  readonly at: Instant;
  readonly actor: Actor;
}

// ---- Commands: imperative ------------------------------------------------------------------------

export type CredentialSetCommand =
  | (Step & {
      readonly type: 'ApplyForCredentialSet';
      readonly setId: string;
      readonly party: PartyRef;
      readonly kind: ApplicationKind;
      readonly oldCredential: OldCredential | null;
      /** Decided by the party's own rules (see party.ts): no other set before this one. */
      readonly firstSetOfParty: boolean;
    })
  | (Step & { readonly type: 'CollectApplication' })
  | (Step & { readonly type: 'AcceptFiling' })
  | (Step & { readonly type: 'RejectFiling'; readonly reason: string })
  | (Step & { readonly type: 'IssueCredentialSet'; readonly ca: IssuedComponent; readonly seal: IssuedComponent })
  | (Step & { readonly type: 'UnbindOldCredential'; readonly platform: string })
  | (Step & { readonly type: 'BindNewCredential'; readonly platform: string })
  | (Step & { readonly type: 'RecordCutOver' })
  | (Step & { readonly type: 'ExpireCredentialSet' })
  | (Step & { readonly type: 'RenewCredentialSet' })
  | (Step & {
      readonly type: 'ReissueCredentialSet';
      readonly reason: ReissueReason;
      readonly ca: IssuedComponent;
      readonly seal: IssuedComponent;
    })
  | (Step & { readonly type: 'RevokeCredentialSet'; readonly reason: RevocationReason; readonly note: string | null });

export type CredentialSetCommandType = CredentialSetCommand['type'];

// ---- Events: past tense --------------------------------------------------------------------------

interface Recorded<T extends string, D> {
  readonly type: T;
  /** Business time: when the step took effect. */
  readonly at: Instant;
  readonly actor: Actor;
  readonly data: D;
}

export type CredentialSetEvent =
  | Recorded<
      'CredentialSetApplied',
      {
        readonly setId: string;
        readonly party: PartyRef;
        readonly kind: ApplicationKind;
        readonly channel: Channel;
        readonly oldCredential: OldCredential | null;
        readonly oldCredentialValidOnApplication: boolean | null;
        readonly firstSetOfParty: boolean;
        /** After the party type's application deadline: taken, but reported late. */
        readonly late: boolean;
        readonly policyId: string;
        readonly policyVersion: number;
      }
    >
  | Recorded<'ApplicationCollected', { readonly late: boolean }>
  | Recorded<'FilingAccepted', Record<string, never>>
  | Recorded<'FilingRejected', { readonly reason: string }>
  | Recorded<
      'CredentialSetIssued',
      {
        readonly ca: IssuedComponent;
        readonly seal: IssuedComponent;
        readonly validUntil: Instant;
        /** Issued after the completion target (原则上…前完成): late work continues and is reported. */
        readonly late: boolean;
        readonly fees: readonly FeeItem[];
      }
    >
  | Recorded<'OldCredentialUnbound', { readonly platform: string }>
  | Recorded<'NewCredentialBound', { readonly platform: string }>
  | Recorded<'OldCredentialStopped', { readonly platform: string }>
  | Recorded<'PlatformAccessBlocked', { readonly platform: string }>
  | Recorded<'PlatformAccessRestored', { readonly platform: string }>
  | Recorded<'CredentialSetExpired', { readonly validUntil: Instant }>
  | Recorded<
      'CredentialSetRenewed',
      { readonly previousValidUntil: Instant; readonly validUntil: Instant; readonly fees: readonly FeeItem[] }
    >
  | Recorded<
      'CredentialSetReissued',
      {
        readonly reason: ReissueReason;
        readonly revokedSerials: readonly string[];
        readonly ca: IssuedComponent;
        readonly seal: IssuedComponent;
        readonly validUntil: Instant;
        readonly fees: readonly FeeItem[];
      }
    >
  | Recorded<'CredentialSetRevoked', { readonly reason: RevocationReason; readonly note: string | null }>;

export type CredentialSetEventType = CredentialSetEvent['type'];

export const CREDENTIAL_SET_EVENT_TYPES: readonly CredentialSetEventType[] = [
  'CredentialSetApplied',
  'ApplicationCollected',
  'FilingAccepted',
  'FilingRejected',
  'CredentialSetIssued',
  'OldCredentialUnbound',
  'NewCredentialBound',
  'OldCredentialStopped',
  'PlatformAccessBlocked',
  'PlatformAccessRestored',
  'CredentialSetExpired',
  'CredentialSetRenewed',
  'CredentialSetReissued',
  'CredentialSetRevoked',
];

// ---- State ---------------------------------------------------------------------------------------

export type CredentialSetStatus =
  'NONE' | 'APPLIED' | 'COLLECTED' | 'FILED' | 'REJECTED' | 'ISSUED' | 'EXPIRED' | 'REVOKED';

export interface CredentialSetState {
  readonly status: CredentialSetStatus;
  readonly setId: string | null;
  readonly party: PartyRef | null;
  readonly kind: ApplicationKind | null;
  readonly channel: Channel | null;
  readonly oldCredential:
    (OldCredential & { readonly validOnApplication: boolean; readonly stoppedPlatforms: readonly string[] }) | null;
  readonly firstSetOfParty: boolean;
  readonly late: { readonly application: boolean; readonly collection: boolean; readonly issue: boolean };
  readonly appliedAt: Instant | null;
  readonly issuedAt: Instant | null;
  readonly ca: IssuedComponent | null;
  readonly seal: IssuedComponent | null;
  readonly validUntil: Instant | null;
  /** Platforms the new set is bound to. */
  readonly boundPlatforms: readonly string[];
  /** Platforms the party cannot use through this set (cut-over passed, nothing new bound). */
  readonly blockedPlatforms: readonly string[];
  readonly cutOverRecorded: boolean;
  readonly revokedSerials: readonly string[];
  readonly fees: readonly FeeItem[];
  readonly renewals: number;
  readonly rejectionReason: string | null;
  readonly revocation: { readonly reason: RevocationReason; readonly note: string | null } | null;
  /** Events folded so far: the stream version this state stands at. */
  readonly version: number;
}

export const initialCredentialSetState: CredentialSetState = {
  status: 'NONE',
  setId: null,
  party: null,
  kind: null,
  channel: null,
  oldCredential: null,
  firstSetOfParty: false,
  late: { application: false, collection: false, issue: false },
  appliedAt: null,
  issuedAt: null,
  ca: null,
  seal: null,
  validUntil: null,
  boundPlatforms: [],
  blockedPlatforms: [],
  cutOverRecorded: false,
  revokedSerials: [],
  fees: [],
  renewals: 0,
  rejectionReason: null,
  revocation: null,
  version: 0,
};

// ---- decide --------------------------------------------------------------------------------------

export function decideCredentialSet(
  command: CredentialSetCommand,
  state: CredentialSetState,
  policy: CampaignPolicy,
): CredentialSetEvent[] {
  if (!isInstant(command.at)) throw new ValidationError([{ path: 'at', rule: 'an ISO-8601 instant with offset' }]);
  const { at, actor } = command;
  const tz = policy.timeZone;
  if (command.type !== 'ApplyForCredentialSet') requireExisting(state, command.type);

  switch (command.type) {
    case 'ApplyForCredentialSet': {
      if (state.status !== 'NONE') {
        throw new DomainError('SET_ALREADY_EXISTS', `credential set ${state.setId} already exists (${state.status})`, {
          setId: state.setId,
        });
      }
      validateApplication(command);
      const partyType = policy.partyTypes[command.party.partyType];
      const channel = policy.channels[partyType.channel];
      requireRole(actor, channel.applyRoles, `applying through ${partyType.channel}`);
      const jurisdiction = jurisdictionOf(policy, command.party.jurisdiction);
      if (!partyType.jurisdictionLevels.includes(jurisdiction.level)) {
        throw new DomainError(
          'PARTY_TYPE_MISMATCH',
          `a ${command.party.partyType} belongs to a ${partyType.jurisdictionLevels.join(' or ')} jurisdiction; ${jurisdiction.code} is ${jurisdiction.level}`,
          { jurisdiction: jurisdiction.code, allowed: partyType.jurisdictionLevels },
        );
      }
      const opensOn = policy.calendar[partyType.applicationsOpen];
      if (!isOnOrAfterDay(at, opensOn, tz)) {
        throw new DomainError(
          'CHANNEL_NOT_OPEN',
          `applications from ${command.party.partyType} open on ${opensOn} (${tz}); got ${formatLocal(at, tz)}`,
          { opensOn, timeZone: tz },
        );
      }
      const day = localDateOf(at, tz);
      if (channel.workdaysOnly && !isWorkday(day, policy.workdays)) {
        throw new DomainError(
          'NOT_A_WORKDAY',
          `${partyType.channel} takes applications on workdays only; ${day} is not one (${tz})`,
          {
            day,
            timeZone: tz,
          },
        );
      }
      const late = isLateForDeadline(command.party.partyType, at, policy);
      const old = command.oldCredential;
      return [
        {
          type: 'CredentialSetApplied',
          at,
          actor,
          data: {
            setId: command.setId,
            party: command.party,
            kind: command.kind,
            channel: partyType.channel,
            oldCredential: old,
            // "Valid on the application day": valid at any moment of that day in the policy's zone.
            oldCredentialValidOnApplication: old === null ? null : toMillis(old.validUntil) > startOfDay(day, tz),
            firstSetOfParty: command.firstSetOfParty,
            late,
            policyId: policy.id,
            policyVersion: policy.version,
          },
        },
      ];
    }

    case 'CollectApplication': {
      const channel = policy.channels[channelOf(state)];
      if (channel.collectRoles.length === 0) {
        throw new DomainError(
          'STEP_OUT_OF_ORDER',
          `${channelOf(state)} applications go to finance without a collection step`,
          {
            channel: channelOf(state),
          },
        );
      }
      requireStatus(state, ['APPLIED'], 'collecting');
      requireRole(actor, channel.collectRoles, 'collecting applications');
      return [
        {
          type: 'ApplicationCollected',
          at,
          actor,
          data: { late: isLateForDeadline(partyOf(state).partyType, at, policy) },
        },
      ];
    }

    case 'AcceptFiling':
    case 'RejectFiling': {
      const channel = policy.channels[channelOf(state)];
      requireStatus(state, [channel.collectRoles.length > 0 ? 'COLLECTED' : 'APPLIED'], 'filing');
      requireRole(actor, channel.fileRoles, 'filing');
      if (command.type === 'AcceptFiling') return [{ type: 'FilingAccepted', at, actor, data: {} }];
      return [{ type: 'FilingRejected', at, actor, data: { reason: requireText(command.reason, 'reason') } }];
    }

    case 'IssueCredentialSet': {
      requireStatus(state, ['FILED'], 'issuing');
      requireRole(actor, policy.operationRoles.ISSUE, 'issuing');
      validateIssue(command.ca, command.seal, at, policy, []);
      const party = partyOf(state);
      return [
        {
          type: 'CredentialSetIssued',
          at,
          actor,
          data: {
            ca: command.ca,
            seal: command.seal,
            validUntil: earlier(command.ca.validUntil, command.seal.validUntil),
            late: !isOnOrBeforeDay(at, policy.calendar.completionTarget, tz),
            fees: feeItems(policy, {
              partyId: party.partyId,
              partyType: party.partyType,
              jurisdiction: party.jurisdiction,
              kind: state.kind === 'REPLACEMENT' ? 'REPLACEMENT' : 'NEW',
              oldCredentialValidOnApplication: state.oldCredential?.validOnApplication ?? false,
              firstSetOfParty: state.firstSetOfParty,
            }),
          },
        },
      ];
    }

    case 'UnbindOldCredential': {
      requireNotEnded(state);
      requireRole(actor, policy.operationRoles.UNBIND_OLD, 'unbinding the old credential');
      requireMigratingPlatform(policy, command.platform);
      const window = policy.calendar.transitionWindow;
      if (!isWithinWindow(at, window, tz)) {
        throw new DomainError(
          'TRANSITION_WINDOW_CLOSED',
          `unbinding is allowed ${formatWindow(window, tz)}; got ${formatLocal(at, tz)}`,
          {
            window,
            timeZone: tz,
          },
        );
      }
      const old = state.oldCredential;
      if (old === null) throw new DomainError('NO_OLD_CREDENTIAL', `set ${state.setId} replaces no old credential`);
      if (!old.boundPlatforms.includes(command.platform)) {
        throw new DomainError(
          'OLD_CREDENTIAL_NOT_BOUND',
          `old credential ${old.serial} is not bound to ${command.platform}`,
          {
            platform: command.platform,
          },
        );
      }
      return [{ type: 'OldCredentialUnbound', at, actor, data: { platform: command.platform } }];
    }

    case 'BindNewCredential': {
      requireRole(actor, policy.operationRoles.BIND_NEW, 'binding the new credential');
      requireMigratingPlatform(policy, command.platform);
      requireStatus(state, ['ISSUED'], 'binding');
      const start = policy.calendar.transitionWindow.start;
      if (!isOnOrAfterDay(at, start, tz)) {
        throw new DomainError(
          'TRANSITION_NOT_STARTED',
          `binding is allowed from ${start} (${tz}); got ${formatLocal(at, tz)}`,
          {
            from: start,
            timeZone: tz,
          },
        );
      }
      if (state.boundPlatforms.includes(command.platform)) {
        throw new DomainError('ALREADY_BOUND', `set ${state.setId} is already bound to ${command.platform}`, {
          platform: command.platform,
        });
      }
      const old = state.oldCredential;
      if (
        old !== null &&
        old.boundPlatforms.includes(command.platform) &&
        !old.stoppedPlatforms.includes(command.platform)
      ) {
        throw new DomainError(
          'OLD_CREDENTIAL_STILL_BOUND',
          `unbind old credential ${old.serial} from ${command.platform} first (allowed ${formatWindow(policy.calendar.transitionWindow, tz)})`,
          { platform: command.platform, oldSerial: old.serial },
        );
      }
      const events: CredentialSetEvent[] = [
        { type: 'NewCredentialBound', at, actor, data: { platform: command.platform } },
      ];
      if (state.blockedPlatforms.includes(command.platform)) {
        events.push({ type: 'PlatformAccessRestored', at, actor, data: { platform: command.platform } });
      }
      return events;
    }

    case 'RecordCutOver': {
      requireRole(actor, ['SYSTEM'], 'recording the cut-over');
      const day = cutOverDay(policy);
      if (toMillis(at) < startOfDay(day, tz)) {
        throw new DomainError(
          'CUT_OVER_NOT_REACHED',
          `the cut-over is ${formatLocal(startOfDay(day, tz), tz)}; got ${formatLocal(at, tz)}`,
          {
            cutOver: day,
            timeZone: tz,
          },
        );
      }
      // A timer may fire again after a restart: recording twice changes nothing.
      if (state.cutOverRecorded || state.status === 'REJECTED' || state.status === 'REVOKED') return [];
      const platform = policy.targetPlatform;
      const events: CredentialSetEvent[] = [];
      if (state.oldCredential?.boundPlatforms.includes(platform)) {
        events.push({ type: 'OldCredentialStopped', at, actor, data: { platform } });
      }
      if (!state.boundPlatforms.includes(platform)) {
        events.push({ type: 'PlatformAccessBlocked', at, actor, data: { platform } });
      }
      return events;
    }

    case 'ExpireCredentialSet': {
      requireRole(actor, ['SYSTEM'], 'expiring a set');
      requireStatus(state, ['ISSUED'], 'expiring');
      const validUntil = state.validUntil as Instant;
      if (toMillis(at) < toMillis(validUntil)) {
        throw new DomainError(
          'NOT_EXPIRED_YET',
          `set ${state.setId} is valid until ${formatLocal(validUntil, tz)}; got ${formatLocal(at, tz)}`,
          {
            validUntil,
          },
        );
      }
      return [{ type: 'CredentialSetExpired', at, actor, data: { validUntil } }];
    }

    case 'RenewCredentialSet': {
      requireStatus(state, ['ISSUED', 'EXPIRED'], 'renewing');
      requireRole(actor, policy.operationRoles.RENEW, 'renewing');
      const validUntil = state.validUntil as Instant;
      const opens = renewalOpensAt(validUntil, policy);
      if (toMillis(at) < opens) {
        throw new DomainError(
          'RENEWAL_WINDOW_NOT_OPEN',
          `renewal opens ${policy.renewal.windowDaysBeforeExpiry} days before expiry, on ${formatLocal(opens, tz)}; got ${formatLocal(at, tz)}`,
          { opensAt: toInstant(opens), validUntil },
        );
      }
      // Renewed early, the year runs on from the old expiry; renewed after expiry, from the renewal.
      const base = Math.max(toMillis(validUntil), toMillis(at));
      const party = partyOf(state);
      return [
        {
          type: 'CredentialSetRenewed',
          at,
          actor,
          data: {
            previousValidUntil: validUntil,
            validUntil: toInstant(addMonths(base, policy.renewal.extendsByMonths, tz)),
            fees: feeItems(policy, {
              ...feeParty(party),
              kind: 'RENEWAL',
              oldCredentialValidOnApplication: false,
              firstSetOfParty: state.firstSetOfParty,
            }),
          },
        },
      ];
    }

    case 'ReissueCredentialSet': {
      requireNotEnded(state);
      requireStatus(state, ['ISSUED', 'EXPIRED'], 'reissuing');
      requireRole(actor, policy.operationRoles.REISSUE, 'reissuing');
      const previous = [state.ca?.serial, state.seal?.serial].filter((s): s is string => s !== undefined);
      validateIssue(command.ca, command.seal, at, policy, [...previous, ...state.revokedSerials]);
      if (command.reason !== 'LOST' && command.reason !== 'DAMAGED') {
        throw new ValidationError([{ path: 'reason', rule: "one of 'LOST', 'DAMAGED'" }]);
      }
      const party = partyOf(state);
      const events: CredentialSetEvent[] = [
        {
          type: 'CredentialSetReissued',
          at,
          actor,
          data: {
            reason: command.reason,
            revokedSerials: previous,
            ca: command.ca,
            seal: command.seal,
            validUntil: earlier(command.ca.validUntil, command.seal.validUntil),
            fees: feeItems(policy, {
              ...feeParty(party),
              kind: 'REISSUE',
              oldCredentialValidOnApplication: false,
              firstSetOfParty: state.firstSetOfParty,
            }),
          },
        },
      ];
      // The lost certificate's binding dies with it; after the cut-over that leaves the party blocked.
      const platform = policy.targetPlatform;
      if (toMillis(at) >= startOfDay(cutOverDay(policy), tz) && state.boundPlatforms.includes(platform)) {
        events.push({ type: 'PlatformAccessBlocked', at, actor, data: { platform } });
      }
      return events;
    }

    case 'RevokeCredentialSet': {
      requireNotEnded(state);
      requireRole(actor, policy.operationRoles.REVOKE, 'revoking');
      const reasons: RevocationReason[] = ['PARTY_DISSOLVED', 'APPLICATION_WITHDRAWN', 'OTHER'];
      if (!reasons.includes(command.reason))
        throw new ValidationError([{ path: 'reason', rule: `one of ${reasons.join(', ')}` }]);
      if (command.reason === 'OTHER') requireText(command.note ?? undefined, 'note');
      return [{ type: 'CredentialSetRevoked', at, actor, data: { reason: command.reason, note: command.note } }];
    }
  }
}

// ---- evolve --------------------------------------------------------------------------------------

export function evolveCredentialSet(state: CredentialSetState, event: CredentialSetEvent): CredentialSetState {
  const next = { ...state, version: state.version + 1 };
  switch (event.type) {
    case 'CredentialSetApplied': {
      const d = event.data;
      return {
        ...next,
        status: 'APPLIED',
        setId: d.setId,
        party: d.party,
        kind: d.kind,
        channel: d.channel,
        oldCredential:
          d.oldCredential === null
            ? null
            : {
                ...d.oldCredential,
                validOnApplication: d.oldCredentialValidOnApplication === true,
                stoppedPlatforms: [],
              },
        firstSetOfParty: d.firstSetOfParty,
        late: { ...state.late, application: d.late },
        appliedAt: event.at,
      };
    }
    case 'ApplicationCollected':
      return { ...next, status: 'COLLECTED', late: { ...state.late, collection: event.data.late } };
    case 'FilingAccepted':
      return { ...next, status: 'FILED' };
    case 'FilingRejected':
      return { ...next, status: 'REJECTED', rejectionReason: event.data.reason };
    case 'CredentialSetIssued':
      return {
        ...next,
        status: 'ISSUED',
        ca: event.data.ca,
        seal: event.data.seal,
        validUntil: event.data.validUntil,
        issuedAt: event.at,
        late: { ...state.late, issue: event.data.late },
        fees: [...state.fees, ...event.data.fees],
      };
    case 'OldCredentialUnbound':
      return {
        ...next,
        oldCredential: state.oldCredential && {
          ...state.oldCredential,
          boundPlatforms: state.oldCredential.boundPlatforms.filter((p) => p !== event.data.platform),
        },
      };
    case 'NewCredentialBound':
      return { ...next, boundPlatforms: [...state.boundPlatforms, event.data.platform] };
    case 'OldCredentialStopped':
      return {
        ...next,
        cutOverRecorded: true,
        oldCredential: state.oldCredential && {
          ...state.oldCredential,
          stoppedPlatforms: [...state.oldCredential.stoppedPlatforms, event.data.platform],
        },
      };
    case 'PlatformAccessBlocked':
      return {
        ...next,
        cutOverRecorded: true,
        boundPlatforms: state.boundPlatforms.filter((p) => p !== event.data.platform),
        blockedPlatforms: [...state.blockedPlatforms, event.data.platform],
      };
    case 'PlatformAccessRestored':
      return { ...next, blockedPlatforms: state.blockedPlatforms.filter((p) => p !== event.data.platform) };
    case 'CredentialSetExpired':
      return { ...next, status: 'EXPIRED' };
    case 'CredentialSetRenewed':
      return {
        ...next,
        status: 'ISSUED',
        validUntil: event.data.validUntil,
        renewals: state.renewals + 1,
        fees: [...state.fees, ...event.data.fees],
      };
    case 'CredentialSetReissued':
      return {
        ...next,
        status: 'ISSUED',
        ca: event.data.ca,
        seal: event.data.seal,
        validUntil: event.data.validUntil,
        revokedSerials: [...state.revokedSerials, ...event.data.revokedSerials],
        // The new serials are not bound anywhere yet.
        boundPlatforms: [],
        fees: [...state.fees, ...event.data.fees],
      };
    case 'CredentialSetRevoked':
      return { ...next, status: 'REVOKED', revocation: { reason: event.data.reason, note: event.data.note } };
    default: {
      const unknown: never = event;
      throw new DomainError('INVALID_FIELD', `unknown event ${JSON.stringify(unknown)}`);
    }
  }
}

export function foldCredentialSet(
  events: readonly CredentialSetEvent[],
  from = initialCredentialSetState,
): CredentialSetState {
  return events.reduce(evolveCredentialSet, from);
}

/** The instant renewal opens for a set valid until `validUntil`: that many local days before expiry. */
export function renewalOpensAt(validUntil: Instant, policy: CampaignPolicy): number {
  const tz = policy.timeZone;
  return startOfDay(addDays(localDateOf(validUntil, tz), -policy.renewal.windowDaysBeforeExpiry), tz);
}

export function isEnded(state: CredentialSetState): boolean {
  return state.status === 'REJECTED' || state.status === 'REVOKED';
}

// ---- helpers -------------------------------------------------------------------------------------

function requireExisting(state: CredentialSetState, step: string): void {
  if (state.status === 'NONE') throw new DomainError('STEP_OUT_OF_ORDER', `${step}: no application for this set yet`);
}

function requireNotEnded(state: CredentialSetState): void {
  if (state.status === 'REVOKED')
    throw new DomainError('SET_REVOKED', `set ${state.setId} is revoked`, { setId: state.setId });
  if (state.status === 'REJECTED') {
    throw new DomainError('STEP_OUT_OF_ORDER', `set ${state.setId} was rejected at filing; the party applies again`, {
      setId: state.setId,
    });
  }
}

function requireStatus(state: CredentialSetState, allowed: readonly CredentialSetStatus[], step: string): void {
  if (state.status === 'REVOKED')
    throw new DomainError('SET_REVOKED', `set ${state.setId} is revoked`, { setId: state.setId });
  if (!allowed.includes(state.status)) {
    throw new DomainError('STEP_OUT_OF_ORDER', `${step} needs the set ${allowed.join(' or ')}; it is ${state.status}`, {
      status: state.status,
      allowed,
    });
  }
}

function requireMigratingPlatform(policy: CampaignPolicy, platform: string): void {
  if (!policy.platforms[platform]?.migratesToNewCredential) {
    const migrating = Object.keys(policy.platforms).filter((p) => policy.platforms[p]?.migratesToNewCredential);
    throw new ValidationError([
      { path: 'platform', rule: `must be a platform moving to the new credential: ${migrating.join(', ')}` },
    ]);
  }
}

function channelOf(state: CredentialSetState): Channel {
  return state.channel as Channel;
}

function partyOf(state: CredentialSetState): PartyRef {
  return state.party as PartyRef;
}

function feeParty(party: PartyRef) {
  return { partyId: party.partyId, partyType: party.partyType, jurisdiction: party.jurisdiction };
}

/** After the party type's application deadline: still taken, but reported late. */
function isLateForDeadline(partyType: PartyType, at: Instant, policy: CampaignPolicy): boolean {
  const key = policy.partyTypes[partyType].applicationDeadline;
  return key !== null && !isOnOrBeforeDay(at, policy.calendar[key], policy.timeZone);
}

function earlier(a: Instant, b: Instant): Instant {
  return toMillis(a) <= toMillis(b) ? a : b;
}

function validateApplication(command: Extract<CredentialSetCommand, { type: 'ApplyForCredentialSet' }>): void {
  const issues: FieldIssue[] = [];
  if (!command.setId?.trim()) issues.push({ path: 'setId', rule: 'must not be empty' });
  if (!command.party?.partyId?.trim()) issues.push({ path: 'party.partyId', rule: 'must not be empty' });
  if (command.kind !== 'NEW' && command.kind !== 'REPLACEMENT')
    issues.push({ path: 'kind', rule: "one of 'NEW', 'REPLACEMENT'" });
  if (command.kind === 'REPLACEMENT' && !command.oldCredential) {
    issues.push({ path: 'oldCredential', rule: 'a replacement names the old credential it replaces' });
  }
  if (command.kind === 'NEW' && command.oldCredential) {
    issues.push({ path: 'oldCredential', rule: 'a new application has no old credential; apply for a replacement' });
  }
  const old = command.oldCredential;
  if (old) {
    if (!old.serial?.trim()) issues.push({ path: 'oldCredential.serial', rule: 'must not be empty' });
    if (!isInstant(old.validUntil ?? ''))
      issues.push({ path: 'oldCredential.validUntil', rule: 'an ISO-8601 instant with offset' });
  }
  if (issues.length > 0) throw new ValidationError(issues);
}

function validateIssue(
  ca: IssuedComponent,
  seal: IssuedComponent,
  at: Instant,
  policy: CampaignPolicy,
  usedSerials: readonly string[],
): void {
  const issues: FieldIssue[] = [];
  for (const [name, c] of [
    ['ca', ca],
    ['seal', seal],
  ] as const) {
    if (!c) {
      issues.push({ path: name, rule: 'required' });
      continue;
    }
    if (!/^[A-Za-z0-9:-]{4,64}$/.test(c.serial ?? ''))
      issues.push({ path: `${name}.serial`, rule: '4-64 letters, digits, colons or hyphens' });
    if (usedSerials.includes(c.serial))
      issues.push({ path: `${name}.serial`, rule: `serial ${c.serial} was already used by this set` });
    if (!c.issuer?.trim()) issues.push({ path: `${name}.issuer`, rule: 'must not be empty' });
    if (!isInstant(c.validFrom ?? ''))
      issues.push({ path: `${name}.validFrom`, rule: 'an ISO-8601 instant with offset' });
    if (!isInstant(c.validUntil ?? ''))
      issues.push({ path: `${name}.validUntil`, rule: 'an ISO-8601 instant with offset' });
    if (isInstant(c.validFrom ?? '') && isInstant(c.validUntil ?? '')) {
      const from = toMillis(c.validFrom);
      const until = toMillis(c.validUntil);
      const longest = addMonths(from, policy.validity.months, policy.timeZone);
      if (until <= from) issues.push({ path: `${name}.validUntil`, rule: 'must be after validFrom' });
      else if (until > longest) {
        issues.push({
          path: `${name}.validUntil`,
          rule: `validity is at most ${policy.validity.months} months: until ${formatLocal(longest, policy.timeZone)}`,
        });
      } else if (until <= toMillis(at)) issues.push({ path: `${name}.validUntil`, rule: 'already past at issuance' });
    }
  }
  if (ca && seal && ca.serial === seal.serial)
    issues.push({ path: 'seal.serial', rule: 'must differ from the CA serial' });
  if (issues.length > 0) {
    const validity = issues.filter((i) => i.rule.startsWith('validity is at most'));
    if (validity.length === issues.length)
      throw new DomainError('VALIDITY_OUT_OF_RANGE', issues.map((i) => `${i.path}: ${i.rule}`).join('; '), { issues });
    throw new ValidationError(issues);
  }
}

/**
 * The next step the system takes by itself, and when: the cut-over for a set still in play, then
 * each expiry. `cutOverHandled` is the workflow's memory that the cut-over already ran for this set
 * (a bound set records nothing then, so the events alone cannot tell).
 */
export function dueSystemStep(
  state: CredentialSetState,
  policy: CampaignPolicy,
  cutOverHandled: boolean,
): { readonly type: 'RecordCutOver' | 'ExpireCredentialSet'; readonly at: number } | null {
  if (state.status === 'NONE' || isEnded(state)) return null;
  const candidates: { type: 'RecordCutOver' | 'ExpireCredentialSet'; at: number }[] = [];
  if (!cutOverHandled && !state.cutOverRecorded)
    candidates.push({ type: 'RecordCutOver', at: startOfDay(cutOverDay(policy), policy.timeZone) });
  if (state.status === 'ISSUED' && state.validUntil !== null)
    candidates.push({ type: 'ExpireCredentialSet', at: toMillis(state.validUntil) });
  return candidates.sort((a, b) => a.at - b.at)[0] ?? null;
}
