import { PARTY_TYPES, type PartyType } from '@certflow/domain';
import { invalidField } from '@certflow/application';
import type { PartySummary, PartyViewRepository } from '../party-view.repository';

/** Parties from the read model, optionally of one jurisdiction and party type. */
export class ListPartiesUseCase {
  constructor(private readonly parties: PartyViewRepository) {}

  /** An empty filter value is no filter. */
  execute(filter: { jurisdiction?: string; partyType?: string }): Promise<PartySummary[]> {
    const partyType = filter.partyType || undefined;
    const jurisdiction = filter.jurisdiction || undefined;
    if (partyType !== undefined && !isPartyType(partyType)) {
      throw invalidField('partyType', `one of ${PARTY_TYPES.join(', ')}`);
    }
    return this.parties.list({
      ...(jurisdiction !== undefined ? { jurisdiction } : {}),
      ...(partyType !== undefined ? { partyType } : {}),
    });
  }
}

function isPartyType(s: string): s is PartyType {
  return (PARTY_TYPES as readonly string[]).includes(s);
}
