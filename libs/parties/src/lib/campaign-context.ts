import type { Client } from '@temporalio/client';
import type { CampaignPolicy } from '@certflow/domain';
import type { PostgresEventStore } from '@certflow/event-store';

/** What the use cases that drive workflows need; the API builds one at start. */
export interface CampaignContext {
  readonly client: Client;
  readonly taskQueue: string;
  readonly policy: CampaignPolicy;
  readonly store: PostgresEventStore;
  /** The clock in epoch milliseconds; every step is stamped with it. */
  readonly now: () => number;
  /** Index sets for the Web UI (needs the search attributes registered on the server). */
  readonly indexed?: boolean;
  /** How long a step over HTTP may take before it answers 202 or 503 (default 10). */
  readonly stepDeadlineSeconds?: number;
}

export const nowIso = (ctx: Pick<CampaignContext, 'now'>): string => new Date(ctx.now()).toISOString();

/** The request's Idempotency-Key as the Update's id: Temporal answers a repeat with the first outcome. */
export function updateId(key: string | undefined): { updateId?: string } {
  return key === undefined ? {} : { updateId: key };
}
