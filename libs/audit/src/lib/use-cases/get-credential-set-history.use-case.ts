import { notFound } from '@certflow/application';
import type { PostgresEventStore, StoredEvent } from '@certflow/event-store';

/** Every event of a set's stream, oldest first, as stored (with hashes). */
export class GetCredentialSetHistoryUseCase {
  constructor(private readonly store: PostgresEventStore) {}

  async execute(setId: string): Promise<StoredEvent[]> {
    const events = await this.store.readStreamToArray(`credential-set-${setId}`);
    if (events.length === 0) throw notFound(`credential set ${setId}`);
    return events;
  }
}
