import { DomainError, ValidationError, type FieldIssue, type RuleCode } from '../errors';
import type { CampaignPolicy } from '../policy/schema';

/**
 * The one dialect of decider tests: given(events).when(command).then(events), or .thenRefuses(code).
 *
 *   const given = givenFor(decideParty, foldParty, changzhouPolicy);
 *   given([registered()]).when(open('set-1')).then([opened('set-1', true)]);
 *   given([]).when(open('set-1')).thenRefuses('PARTY_NOT_REGISTERED', 'OpenCredentialSet');
 */

export interface Outcome<E> {
  /** The events decided; rethrows the refusal when there was one. */
  events(): E[];
  /** Asserts exactly these events were decided, and returns them. */
  then(expected: readonly E[]): E[];
  /** The refusal; fails when the command was accepted or the error was not a rule's. */
  refusal(): DomainError;
  /** Asserts the refusal's rule code, and that its message names every fragment. */
  thenRefuses(code: RuleCode, ...fragments: string[]): DomainError;
  /** Asserts a ValidationError naming exactly these field paths, in this order. */
  thenInvalid(...paths: string[]): ValidationError;
  /** The issues of the ValidationError the command was refused with; fails on any other outcome. */
  invalidIssues(): readonly FieldIssue[];
}

type Decide<C, S, E> = (command: C, state: S, policy: CampaignPolicy) => E[];

export function givenFor<C, S, E>(
  decide: Decide<C, S, E>,
  fold: (events: readonly E[]) => S,
  policy: () => CampaignPolicy,
) {
  return function given(history: readonly E[] = [], onPolicy: CampaignPolicy = policy()) {
    const state = fold(history);
    return {
      state,
      when: (command: C): Outcome<E> => outcomeOf(() => decide(command, state, onPolicy)),
    };
  };
}

function outcomeOf<E>(decide: () => E[]): Outcome<E> {
  let result: { readonly ok: true; readonly events: E[] } | { readonly ok: false; readonly error: unknown };
  try {
    result = { ok: true, events: decide() };
  } catch (error) {
    result = { ok: false, error };
  }
  const outcome: Outcome<E> = {
    events() {
      if (result.ok) return result.events;
      throw result.error;
    },
    then(expected) {
      const events = outcome.events();
      expect(events).toEqual(expected);
      return events;
    },
    refusal() {
      if (result.ok) throw new Error(`expected the command to be refused, got events ${JSON.stringify(result.events)}`);
      if (!(result.error instanceof DomainError)) throw result.error;
      return result.error;
    },
    thenRefuses(code, ...fragments) {
      const error = outcome.refusal();
      expect(error.code).toBe(code);
      for (const fragment of fragments) expect(error.message).toContain(fragment);
      return error;
    },
    thenInvalid(...paths) {
      const error = outcome.thenRefuses('INVALID_FIELD', ...paths);
      if (!(error instanceof ValidationError)) throw new Error(`expected a ValidationError, got ${error.message}`);
      expect(error.issues.map((i) => i.path)).toEqual(paths);
      return error;
    },
    invalidIssues() {
      const error = outcome.refusal();
      if (!(error instanceof ValidationError)) throw new Error(`expected a ValidationError, got ${error.message}`);
      return error.issues;
    },
  };
  return outcome;
}
