import { DomainError, ValidationError } from './errors';
import type { Role } from './policy/policy-model';

/** Who took a step: a person (or `system`) and the role they acted in. Every event records it. */
export interface Actor {
  readonly id: string;
  readonly role: Role;
}

export const SYSTEM_ACTOR: Actor = { id: 'system', role: 'SYSTEM' };

export function requireRole(actor: Actor, allowed: readonly Role[], step: string): void {
  if (!allowed.includes(actor.role)) {
    throw new DomainError(
      'ROLE_NOT_ALLOWED',
      `${step} may be done by ${allowed.join(', ')}; ${actor.id} acts as ${actor.role}`,
      {
        step,
        allowed,
        role: actor.role,
      },
    );
  }
}

export function requireText(value: string | undefined, path: string): string {
  if (typeof value !== 'string' || value.trim() === '')
    throw new ValidationError([{ path, rule: 'must not be empty' }]);
  return value.trim();
}
