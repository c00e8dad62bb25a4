import { createHash } from 'node:crypto';
import { ID_PATTERN, ID_RULE } from '@certflow/domain';
import { canonicalJson } from '@certflow/event-store';

/**
 * An `Idempotency-Key`: the id grammar (1-128 characters of `A-Za-z0-9._:-`, starting with a
 * letter or digit), so a UUID is one. The key is also the Workflow Update's id downstream.
 */
export const isIdempotencyKey = (key: string): boolean => ID_PATTERN.test(key);

export const IDEMPOTENCY_KEY_RULE = `${ID_RULE} (a UUID is one)`;

/** What a key is bound to: who sent it, to which route, with which request. */
export interface KeyedRequest {
  readonly key: string;
  /** `id:ROLE` of the actor, when the request has one. */
  readonly actor: string | null;
  /** The method, the route pattern and the path parameters: `POST /credential-sets/:setId/issue {"setId":"a"}`. */
  readonly route: string;
  /** SHA-256 (hex) of the body as canonical JSON (keys sorted), so key order and spacing do not count. */
  readonly requestHash: string;
}

/** The route a key is bound to, from the method, the route's pattern and its parameters. */
export function routeOf(method: string, pattern: string, params: Readonly<Record<string, string>> = {}): string {
  return Object.keys(params).length === 0
    ? `${method.toUpperCase()} ${pattern}`
    : `${method.toUpperCase()} ${pattern} ${canonicalJson(params)}`;
}

/** SHA-256 of a parsed JSON body as canonical JSON; no body counts as `{}`. */
export function requestHash(body: unknown): string {
  return createHash('sha256')
    .update(canonicalJson(body ?? {}))
    .digest('hex');
}

/** Whether a stored request is the same request: same actor, route and body. */
export const sameRequest = (a: KeyedRequest, b: KeyedRequest): boolean =>
  a.actor === b.actor && a.route === b.route && a.requestHash === b.requestHash;

/**
 * A name-based UUID (RFC 9562 version 8, from SHA-256) for an id derived from a key: the same key
 * (and parts) always gives the same id, within the id grammar. A retried request that names no id
 * of its own then addresses what its first attempt created, never a second one.
 */
export function derivedId(kind: string, key: string, ...parts: readonly string[]): string {
  const h = createHash('sha256')
    .update(['certflow', kind, key, ...parts].join('\u0000'))
    .digest();
  h[6] = (h[6]! & 0x0f) | 0x80;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const hex = h.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The set an application opens when it names none: from its key and its party. */
export const setIdFromKey = (key: string, partyId: string): string => derivedId('credential-set', key, partyId);

/** The launch a launch request opens when it names none: from its key. */
export const launchIdFromKey = (key: string): string => derivedId('launch', key);

/**
 * The launch a launch request opens when it names neither an id nor a key: from who asked, under
 * which policy, and its list (canonical JSON). The same list sent again (a retry after a crash
 * between storing the list and starting its workflow) then addresses the launch its first attempt
 * stored, which the retry starts, instead of storing a second launch that no one would resume.
 */
export const launchIdFromContent = (actor: string, policyId: string, items: unknown): string =>
  derivedId('launch-content', actor, policyId, requestHash(items));
