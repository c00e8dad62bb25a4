import { DomainError, ValidationError } from './errors';
import { textIssue, type TextField } from './identifiers/grammar';
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

/** A required free-text field of a command, by its field's grammar (length, characters, not blank); trimmed. */
export function requireText(value: string | null | undefined, field: TextField, path: string = field): string {
  const issue = typeof value === 'string' ? textIssue(value, field, path) : { path, rule: 'must not be empty' };
  if (issue) throw new ValidationError([issue]);
  return (value as string).trim();
}
