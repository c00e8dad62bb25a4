import { invalidField } from '@certflow/application';
import { instantIssue } from '@certflow/domain';
import type { AsOfBasis } from '@certflow/event-store';

/** GET /credential-sets/:id asks for the state now (at a consistency) or as of an instant. */
export type SetRead =
  | { readonly asOf: undefined; readonly consistency: 'eventual' | 'strong' }
  | { readonly asOf: string; readonly basis: AsOfBasis };

/** The query's grammar: consistency, then asOf (the date grammar) and (only with asOf) basis. */
export function parseSetRead(q: { asOf?: string; basis?: string; consistency?: string }): SetRead {
  const { asOf, basis, consistency } = q;
  if (consistency !== undefined && consistency !== 'eventual' && consistency !== 'strong') {
    throw invalidField('consistency', "'eventual' or 'strong'");
  }
  if (asOf === undefined) return { asOf, consistency: consistency === 'strong' ? 'strong' : 'eventual' };
  const bad = instantIssue(asOf, 'asOf');
  if (bad) throw invalidField(bad.path, bad.rule);
  if (basis !== undefined && basis !== 'recorded' && basis !== 'business') {
    throw invalidField('basis', "'recorded' or 'business'");
  }
  return { asOf, basis: basis === 'business' ? 'BUSINESS' : 'RECORDED' };
}
