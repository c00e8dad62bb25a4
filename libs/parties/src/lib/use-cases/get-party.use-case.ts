import type { PartyState } from '@certflow/domain';
import type { CampaignContext } from '../campaign-context';
import { readRegisteredParty } from '../party-read';

/** A party's state from its workflow, or its stream if it has none yet (a read starts nothing); NOT_FOUND if unknown. */
export class GetPartyUseCase {
  constructor(private readonly ctx: CampaignContext) {}

  execute(partyId: string): Promise<PartyState> {
    return readRegisteredParty(this.ctx, partyId);
  }
}
