import {
  decideCredentialSet,
  foldCredentialSet,
  loadPolicy,
  type Actor,
  type CredentialSetCommand,
  type CredentialSetEvent,
  type PartyType,
} from '@certflow/domain';
import changzhou from '@certflow/policies/changzhou-2023.json';

const policy = loadPolicy(changzhou);
const staff: Actor = { id: 'zhang', role: 'FINANCE_STAFF' };
const supervisor: Actor = { id: 'sup', role: 'SUPERVISING_UNIT' };
const sh = (local: string) => `${local}+08:00`;
const component = (serial: string) => ({
  serial,
  issuer: 'JSCA',
  validFrom: sh('2023-09-08T09:00:00'),
  validUntil: sh('2024-09-08T09:00:00'),
});

export interface CredentialSetHistoryOptions {
  partyId: string;
  jurisdiction: string;
  /** The applying party's type; a budget unit unless told. */
  partyType?: PartyType;
  /** How many of the four steps (apply, collect, accept filing, issue) to take; all four unless told. */
  until?: number;
}

/**
 * A new set's history under the Changzhou policy, up to `until` of its steps (apply, collect,
 * accept filing, issue), as the domain decides it: the projected sets the read-model specs share.
 */
export function credentialSetHistory(setId: string, options: CredentialSetHistoryOptions): CredentialSetEvent[] {
  const { partyId, jurisdiction, partyType = 'BUDGET_UNIT', until = 4 } = options;
  const commands: CredentialSetCommand[] = [
    {
      type: 'ApplyForCredentialSet',
      at: sh('2023-09-02T09:00:00'),
      actor: supervisor,
      setId,
      party: { partyId, partyType, jurisdiction, supervisingUnitId: 'sup' },
      kind: 'NEW',
      oldCredential: null,
      firstSetOfParty: true,
    },
    { type: 'CollectApplication', at: sh('2023-09-03T09:00:00'), actor: supervisor },
    { type: 'AcceptFiling', at: sh('2023-09-04T09:00:00'), actor: staff },
    {
      type: 'IssueCredentialSet',
      at: sh('2023-09-08T09:00:00'),
      actor: staff,
      ca: component(`CA-${setId}`),
      seal: component(`SEAL-${setId}`),
    },
  ];
  return commands
    .slice(0, until)
    .reduce<CredentialSetEvent[]>(
      (events, c) => [...events, ...decideCredentialSet(c, foldCredentialSet(events), policy)],
      [],
    );
}
