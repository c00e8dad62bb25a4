import { invalidField } from '@certflow/application';
import type { AsOfBasis } from '@certflow/event-store';

/** GET /credential-sets/:id asks for the state now (at a consistency) or as of an instant. */
export type SetRead =
  | { readonly asOf: undefined; readonly consistency: 'eventual' | 'strong' }
  | { readonly asOf: string; readonly basis: AsOfBasis };

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/** The query's grammar: consistency, then asOf and (only with asOf) basis. */
export function parseSetRead(q: { asOf?: string; basis?: string; consistency?: string }): SetRead {
  const { asOf, basis, consistency } = q;
  if (consistency !== undefined && consistency !== 'eventual' && consistency !== 'strong') {
    throw invalidField('consistency', "'eventual' or 'strong'");
  }
  if (asOf === undefined) return { asOf, consistency: consistency === 'strong' ? 'strong' : 'eventual' };
  if (!INSTANT.test(asOf) || Number.isNaN(Date.parse(asOf))) {
    throw invalidField('asOf', 'an ISO-8601 instant with offset');
  }
  if (basis !== undefined && basis !== 'recorded' && basis !== 'business') {
    throw invalidField('basis', "'recorded' or 'business'");
  }
  return { asOf, basis: basis === 'business' ? 'BUSINESS' : 'RECORDED' };
}
