import { isId } from '@certflow/domain';
import {
  derivedId,
  isIdempotencyKey,
  launchIdFromContent,
  launchIdFromKey,
  requestHash,
  routeOf,
  sameRequest,
  setIdFromKey,
} from './idempotent-request';

describe('an Idempotency-Key', () => {
  it.each(['a', 'K-1', 'retry:2026-01-01.a_b', '0f8e6a1c-3f5b-4c1a-9a7e-2b4d6f8a0c1e', 'x'.repeat(128)])(
    'may be %s',
    (key) => expect(isIdempotencyKey(key)).toBe(true),
  );

  it.each(['', 'not a key!', '_a', '-a', 'x'.repeat(129), '键', 'a/b', 'a\u0000'])('may not be %j', (key) =>
    expect(isIdempotencyKey(key)).toBe(false),
  );
});

describe('the request a key is bound to', () => {
  it('hashes the body as canonical JSON: key order and spacing do not count, values do', () => {
    expect(requestHash({ a: 1, b: { c: [1, 2] } })).toBe(requestHash(JSON.parse('{ "b": {"c":[1,2]}, "a": 1 }')));
    expect(requestHash({ a: 1 })).not.toBe(requestHash({ a: 2 }));
    expect(requestHash({ list: [1, 2] })).not.toBe(requestHash({ list: [2, 1] }));
    expect(requestHash(undefined)).toBe(requestHash({}));
    expect(requestHash({ a: 1 })).toMatch(/^[0-9a-f]{64}$/);
  });

  it('names the method, the route pattern and the path parameters', () => {
    expect(routeOf('post', '/credential-sets/:setId/issue', { setId: 's-1' })).toBe(
      'POST /credential-sets/:setId/issue {"setId":"s-1"}',
    );
    expect(routeOf('POST', '/parties')).toBe('POST /parties');
    expect(routeOf('POST', '/p/:b/:a', { b: '2', a: '1' })).toBe(routeOf('POST', '/p/:b/:a', { a: '1', b: '2' }));
  });

  it('is the same only with the same actor, route and body', () => {
    const r = { key: 'k', actor: 'a:FINANCE_STAFF', route: 'POST /parties', requestHash: requestHash({}) };
    expect(sameRequest(r, { ...r })).toBe(true);
    expect(sameRequest(r, { ...r, actor: null })).toBe(false);
    expect(sameRequest(r, { ...r, route: 'POST /launches' })).toBe(false);
    expect(sameRequest(r, { ...r, requestHash: requestHash({ a: 1 }) })).toBe(false);
  });
});

describe('ids derived from a key', () => {
  it('are name-based UUIDs (version 8) in the id grammar, the same for the same key and parts', () => {
    const id = setIdFromKey('K-1', 'party-1');
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(isId(id)).toBe(true);
    expect(setIdFromKey('K-1', 'party-1')).toBe(id);
  });

  it('differ by key, by party and by kind', () => {
    const ids = [
      setIdFromKey('K-1', 'party-1'),
      setIdFromKey('K-2', 'party-1'),
      setIdFromKey('K-1', 'party-2'),
      launchIdFromKey('K-1'),
      derivedId('launch', 'K-1', 'x'),
    ];
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('name a launch by its request when it names no id and no key: same actor, policy and list, same id', () => {
    const items = [{ setId: 's-1', party: { partyId: 'p-1', name: '常州' } }];
    const id = launchIdFromContent('staff:FINANCE_STAFF', 'cz-2023', items);
    expect(isId(id)).toBe(true);
    expect(
      launchIdFromContent('staff:FINANCE_STAFF', 'cz-2023', [
        { party: { name: '常州', partyId: 'p-1' }, setId: 's-1' },
      ]),
    ).toBe(id);
    const others = [
      launchIdFromContent('other:FINANCE_STAFF', 'cz-2023', items),
      launchIdFromContent('staff:FINANCE_STAFF', 'cz-2024', items),
      launchIdFromContent('staff:FINANCE_STAFF', 'cz-2023', [...items, ...items]),
      launchIdFromKey('K-1'),
    ];
    expect(new Set([id, ...others]).size).toBe(others.length + 1);
  });
});
