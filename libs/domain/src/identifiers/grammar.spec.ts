import {
  arrayIssue,
  arraySizeIssues,
  idIssue,
  instantIssue,
  INSTANT_RANGE_RULE,
  INSTANT_RULE,
  isStorable,
  ownEntry,
  TEXT_RULE,
  textIssue,
  unstorablePath,
} from './grammar';

describe('the field grammars', () => {
  it('holds free text to its field’s limit and characters, blank refused only when required', () => {
    expect(textIssue('x'.repeat(200), 'name')).toBeUndefined();
    expect(textIssue('x'.repeat(201), 'name')).toEqual({ path: 'name', rule: 'at most 200 characters' });
    expect(textIssue('a\u0000', 'reason', 'items[2].reason')).toEqual({ path: 'items[2].reason', rule: TEXT_RULE });
    expect(textIssue(' ', 'note')).toEqual({ path: 'note', rule: 'must not be empty' });
    expect(textIssue(' ', 'note', 'note', false)).toBeUndefined();
    expect(textIssue(7, 'note')).toEqual({ path: 'note', rule: 'a string' });
  });

  it('holds ids to the stream-id grammar and arrays to their field’s size', () => {
    expect(idIssue('set-1', 'setId')).toBeUndefined();
    expect(idIssue('__proto__', 'setId')?.path).toBe('setId');
    expect(arrayIssue(new Array(32).fill('P'), 'boundPlatforms')).toBeUndefined();
    expect(arrayIssue(new Array(33).fill('P'), 'boundPlatforms')).toEqual({
      path: 'boundPlatforms',
      rule: 'at most 32 items',
    });
    expect(arrayIssue('P', 'boundPlatforms')?.rule).toBe('an array');
  });

  it('finds every array of a body over its field’s size by path, without walking its items', () => {
    const platforms = new Array(33).fill('P');
    const body = { items: [{ oldCredential: { boundPlatforms: platforms } }, {}], other: platforms };
    expect(arraySizeIssues(body)).toEqual([
      { path: 'items[0].oldCredential.boundPlatforms', rule: 'at most 32 items' },
    ]);
    expect(arraySizeIssues({ items: new Array(50_001).fill({ boundPlatforms: platforms }) })).toEqual([
      { path: 'items', rule: 'at most 50000 items' },
    ]);
    expect(arraySizeIssues(null)).toEqual([]);
  });

  it('takes instants with an offset on real days from 2000 up to 2100', () => {
    for (const good of [
      '2024-03-01T00:00:00+08:00',
      '2024-02-29T23:59Z',
      '2000-01-01T00:00:00.000Z',
      '2099-12-31T23:59:59.999999999Z',
    ]) {
      expect(instantIssue(good, 'at')).toBeUndefined();
    }
    for (const bad of ['2024-03-01', '2024-03-01T00:00:00', '2023-02-29T00:00:00Z', '2024-13-01T00:00:00Z', 'x', 1]) {
      expect(instantIssue(bad, 'at')).toEqual({ path: 'at', rule: INSTANT_RULE });
    }
    for (const far of ['1999-12-31T23:59:59Z', '2100-01-01T00:00:00Z', '9999-01-01T00:00:00Z']) {
      expect(instantIssue(far, 'at')).toEqual({ path: 'at', rule: INSTANT_RANGE_RULE });
    }
  });
});

describe('what the store can hold', () => {
  it('refuses NUL and unpaired surrogates only; control characters and pairs are stored', () => {
    expect(['a\u0000', '\ud800', 'a\udc00b', '\ud83d'].map(isStorable)).toEqual([false, false, false, false]);
    expect(['\u0007', '😀', '常', ''].map(isStorable)).toEqual([true, true, true, true]);
  });

  it('names the first place in a payload, keys included, that PostgreSQL cannot hold', () => {
    expect(unstorablePath({ a: [{ b: 'ok' }, { c: 'x\u0000' }] })).toBe('a[1].c');
    expect(unstorablePath({ ['k\ud800']: 1 })).toBe('k\ud800');
    expect(unstorablePath('\u0000')).toBe('(value)');
    expect(unstorablePath({ a: ['\u0007', 1, null] })).toBeNull();
  });
});

describe('records keyed by input', () => {
  it('never answers with a member of Object.prototype', () => {
    const record: Record<string, number> = { a: 1 };
    for (const key of ['constructor', 'toString', '__proto__', 'hasOwnProperty'])
      expect(ownEntry(record, key)).toBeUndefined();
    expect(ownEntry(record, 'a')).toBe(1);
    expect(ownEntry(JSON.parse('{"__proto__": 2}') as Record<string, number>, '__proto__')).toBe(2);
  });
});
