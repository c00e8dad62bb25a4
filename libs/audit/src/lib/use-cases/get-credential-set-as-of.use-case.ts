import type { CredentialSetState } from '@certflow/domain';
import { notFound } from '@certflow/application';
import { stateAsOf, type AsOfBasis, type PostgresEventStore } from '@certflow/event-store';

/**
 * A set's state as of an instant, folded from its stream with the domain's evolve: what the
 * system knew then (RECORDED) or what had happened by then (BUSINESS).
 */
export class GetCredentialSetAsOfUseCase {
  constructor(private readonly store: PostgresEventStore) {}

  async execute(setId: string, asOf: string, basis: AsOfBasis) {
    const streamId = `credential-set-${setId}`;
    const result = await stateAsOf<CredentialSetState>(this.store, streamId, asOf, basis);
    if (result.eventCount === 0 && (await this.store.streamVersion(streamId)) === 0) {
      throw notFound(`credential set ${setId}`);
    }
    return result;
  }
}
