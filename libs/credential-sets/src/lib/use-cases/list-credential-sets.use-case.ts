import type {
  CredentialSetFilter,
  CredentialSetSummary,
  CredentialSetViewRepository,
} from '../credential-set-view.repository';

/** Sets from the read model, optionally of one party, jurisdiction and status. */
export class ListCredentialSetsUseCase {
  constructor(private readonly sets: CredentialSetViewRepository) {}

  /** An empty filter value is no filter. */
  execute(filter: CredentialSetFilter): Promise<CredentialSetSummary[]> {
    return this.sets.list({
      ...(filter.partyId ? { partyId: filter.partyId } : {}),
      ...(filter.jurisdiction ? { jurisdiction: filter.jurisdiction } : {}),
      ...(filter.status ? { status: filter.status } : {}),
    });
  }
}
