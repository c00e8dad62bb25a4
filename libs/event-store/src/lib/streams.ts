import {
  CREDENTIAL_SET_EVENT_TYPES,
  EVENT_PAYLOAD_SCHEMAS,
  PARTY_EVENT_TYPES,
  POLICY_EVENT_TYPES,
  evolveCredentialSet,
  evolveParty,
  initialCredentialSetState,
  initialPartyState,
  type CredentialSetEvent,
  type CampaignPolicy,
  type PartyEvent,
  type PolicyEvent,
} from '@certflow/domain';
import { EventStoreError } from './errors';

/**
 * The kinds of stream the store knows: which event types belong to each, how to fold them with
 * the domain's `evolve`, and which party and jurisdiction a stream belongs to (for filtering).
 */
export interface StreamCategory<S = unknown, E = unknown> {
  readonly name: string;
  readonly eventTypes: readonly string[];
  readonly initial: S;
  readonly evolve: (state: S, event: E) => S;
  /** Party and jurisdiction named by an event, if it names them. */
  readonly tagsOf: (event: { type: string; data: unknown }) => StreamTags | null;
}

export interface StreamTags {
  readonly partyId: string;
  readonly jurisdiction: string;
}

const credentialSet: StreamCategory<typeof initialCredentialSetState, CredentialSetEvent> = {
  name: 'credential-set',
  eventTypes: CREDENTIAL_SET_EVENT_TYPES,
  initial: initialCredentialSetState,
  evolve: evolveCredentialSet,
  tagsOf: (e) => {
    if (e.type !== 'CredentialSetApplied') return null;
    const { party } = e.data as { party: { partyId: string; jurisdiction: string } };
    return { partyId: party.partyId, jurisdiction: party.jurisdiction };
  },
};

const party: StreamCategory<typeof initialPartyState, PartyEvent> = {
  name: 'party',
  eventTypes: PARTY_EVENT_TYPES,
  initial: initialPartyState,
  evolve: evolveParty,
  tagsOf: (e) => {
    if (e.type !== 'PartyRegistered') return null;
    const { party: p } = e.data as { party: { partyId: string; jurisdiction: string } };
    return { partyId: p.partyId, jurisdiction: p.jurisdiction };
  },
};

/** A campaign policy's amendments (`policy-<policy id>`): its state is the policy as last amended. */
const policy: StreamCategory<CampaignPolicy | null, PolicyEvent> = {
  name: 'policy',
  eventTypes: POLICY_EVENT_TYPES,
  initial: null,
  evolve: (_state, e) => e.data.policy as CampaignPolicy,
  tagsOf: () => null,
};

export const STREAM_CATEGORIES: Readonly<Record<string, StreamCategory>> = {
  'credential-set': credentialSet as unknown as StreamCategory,
  party: party as unknown as StreamCategory,
  policy: policy as unknown as StreamCategory,
};

const STREAM_ID = /^(credential-set|party|policy)-([A-Za-z0-9][A-Za-z0-9_.:-]{0,127})$/;

export function categoryOf(streamId: string): StreamCategory {
  const m = STREAM_ID.exec(streamId);
  const category = m ? STREAM_CATEGORIES[m[1] ?? ''] : undefined;
  if (!category) {
    throw new EventStoreError(
      'UNKNOWN_STREAM',
      `stream id '${streamId}' is not <category>-<id> with category one of ${Object.keys(STREAM_CATEGORIES).join(', ')}`,
      {
        streamId,
      },
    );
  }
  return category;
}

/** Refuses an event the store does not know how to read back: unknown type, version or shape. */
export function validateEvent(
  category: StreamCategory,
  type: string,
  schemaVersion: number,
  payload: unknown,
  index: number,
): void {
  if (!category.eventTypes.includes(type)) {
    throw new EventStoreError('UNKNOWN_EVENT_TYPE', `events[${index}].type '${type}' is not a ${category.name} event`, {
      index,
      type,
    });
  }
  const schema = EVENT_PAYLOAD_SCHEMAS[type as keyof typeof EVENT_PAYLOAD_SCHEMAS]?.[schemaVersion];
  if (!schema) {
    throw new EventStoreError(
      'UNKNOWN_SCHEMA_VERSION',
      `events[${index}]: ${type} has no schema version ${schemaVersion}`,
      {
        index,
        type,
        schemaVersion,
      },
    );
  }
  const parsed = schema.safeParse(payload);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({
      path: [`events[${index}].data`, ...i.path.map(String)].join('.'),
      rule: i.message,
    }));
    throw new EventStoreError('MALFORMED_EVENT', issues.map((i) => `${i.path}: ${i.rule}`).join('; '), {
      index,
      type,
      issues,
    });
  }
}
