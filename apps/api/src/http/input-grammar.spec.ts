import type { ArgumentMetadata } from '@nestjs/common';
import { ApplicationError } from '@certflow/application';
import { ID_RULE, isId, isText, textIssues, TEXT_RULE } from '@certflow/domain';
import { bodyParserProblem, IdParamPipe, refuseBadText } from './input-grammar';

describe('the free-text grammar', () => {
  it('refuses NUL, unpaired surrogates and control characters but newline, return and tab', () => {
    for (const bad of ['\u0000', 'a\ud800', '\udc00b', '\ud800\ud800', '\u0007', '\u007f', '\u0085', '\u001b[0m']) {
      expect(isText(bad)).toBe(false);
    }
    for (const good of ['', 'a\nb\r\tc', '常州市武进区教育局', '😀', 'x\ud83d\ude00y', '材料不全 — ok']) {
      expect(isText(good)).toBe(true);
    }
  });

  it('walks a body and names every bad string by its dotted path, keys included', () => {
    const body = {
      name: 'ok',
      party: { name: 'a\u0000' },
      items: [{}, {}, {}, { party: { name: '\ud800' } }],
      ['k\u0000']: 1,
    };
    expect(textIssues(body)).toEqual([
      { path: 'party.name', rule: TEXT_RULE },
      { path: 'items[3].party.name', rule: TEXT_RULE },
      { path: 'k\u0000', rule: `a key ${TEXT_RULE}` },
    ]);
    expect(textIssues('\u0000')).toEqual([{ path: '(body)', rule: TEXT_RULE }]);
    expect(textIssues(undefined)).toEqual([]);
  });

  it('refuses nesting past the depth once, without walking further, and caps the issues', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = { a: deep };
    const issues = textIssues(deep);
    expect(issues).toHaveLength(1);
    expect(issues[0]?.path.split('.')).toHaveLength(16);
    expect(issues[0]?.rule).toMatch(/nest deeper than 16/);
    expect(textIssues({ a: { b: 1 } }, 2)).toEqual([]);
    expect(textIssues(Array.from({ length: 1000 }, () => '\u0000'))).toHaveLength(20);
  });

  it('is applied to the query, the path and the body before anything else', () => {
    const sent: { status?: number; body?: string } = {};
    const res = {
      status: (n: number) => ((sent.status = n), { type: () => ({ send: (b: string) => void (sent.body = b) }) }),
    };
    const next = jest.fn();
    refuseBadText({ query: { q: ['ok', 'x\u0001'] }, path: '/parties/a%00', body: { a: ['\ud800'] } }, res, next);
    expect(next).not.toHaveBeenCalled();
    expect(sent.status).toBe(400);
    expect(JSON.parse(sent.body ?? '{}')).toMatchObject({
      rule: 'INVALID_FIELD',
      errors: [{ path: 'q' }, { path: 'path' }, { path: 'a[0]' }],
    });
    refuseBadText({ query: { q: 'fine' }, path: '/parties/p-1', body: { name: 'x\ny' } }, res, next);
    expect(next).toHaveBeenCalledTimes(1);
  });
});

describe('the id grammar', () => {
  it('is the stream-id suffix: letters, digits . _ : -, starting with a letter or digit, up to 128', () => {
    for (const good of ['a', 'wujin-education-bureau', 'bu-1a2b3c-a', 'f-1', 'x.y_z:1', 'A'.repeat(128)]) {
      expect(isId(good)).toBe(true);
    }
    for (const bad of ['', 'a b', 'a#b', '证书', '_a', '__proto__', '-a', '.a', 'A'.repeat(129), 'a\u0000', 1]) {
      expect(isId(bad)).toBe(false);
    }
  });

  it('refuses an id path parameter naming it, and leaves other parameters alone', () => {
    const pipe = new IdParamPipe();
    const param = (data: string): ArgumentMetadata => ({ type: 'param', data });
    expect(pipe.transform('p-1', param('partyId'))).toBe('p-1');
    expect(pipe.transform('a b', param('other'))).toBe('a b');
    expect(pipe.transform('__proto__', { type: 'body', data: 'partyId' })).toBe('__proto__');
    for (const name of ['partyId', 'setId', 'filingId', 'launchId']) {
      try {
        pipe.transform('__proto__', param(name));
        throw new Error('not refused');
      } catch (e) {
        expect(e).toBeInstanceOf(ApplicationError);
        expect((e as ApplicationError).errors).toEqual([{ path: name, rule: ID_RULE }]);
      }
    }
  });
});

describe("body-parser's refusals", () => {
  it('map to 413, 415 and 400, and leave other errors alone', () => {
    expect(bodyParserProblem({ type: 'entity.too.large', status: 413 })).toMatchObject({
      status: 413,
      rule: 'PAYLOAD_TOO_LARGE',
    });
    expect(bodyParserProblem({ type: 'charset.unsupported', status: 415 })).toMatchObject({
      status: 415,
      rule: 'UNSUPPORTED_MEDIA_TYPE',
    });
    expect(bodyParserProblem({ type: 'entity.parse.failed', status: 400 })).toMatchObject({
      status: 400,
      rule: 'MALFORMED_REQUEST',
    });
    expect(bodyParserProblem(new Error('boom'))).toBeNull();
    expect(bodyParserProblem(null)).toBeNull();
  });
});
