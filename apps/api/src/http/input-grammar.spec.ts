import type { ArgumentMetadata } from '@nestjs/common';
import { ApplicationError } from '@certflow/application';
import {
  ARRAY_LIMITS,
  ID_RULE,
  INSTANT_RANGE_RULE,
  INSTANT_RULE,
  isId,
  isText,
  TEXT_LIMITS,
  textIssues,
  textLimitRule,
  TEXT_RULE,
} from '@certflow/domain';
import { ApplyDto, IssueDto, PlatformDto, RevokeDto } from '../credential-sets/credential-set.dto';
import { LaunchDto } from '../launches/launch.dto';
import { RegisterPartyDto, SubmitFilingDto } from '../parties/party.dto';
import { FilingDecisionDto } from './filing-decision.dto';
import { bodyParserProblem, IdParamPipe, refuseBadText } from './input-grammar';
import { validationPipe } from './validation.pipe';

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
    refuseBadText({ query: { jurisdiction: 'x'.repeat(257), ok: 'x'.repeat(256) }, path: '/parties' }, res, next);
    expect(next).toHaveBeenCalledTimes(1);
    expect(JSON.parse(sent.body ?? '{}')).toMatchObject({
      errors: [{ path: 'jurisdiction', rule: 'at most 256 characters' }],
    });
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

describe('the field grammars in the DTOs', () => {
  const pipe = validationPipe();
  const refusal = async (metatype: new () => object, value: unknown) => {
    const error = (await pipe.transform(value, { type: 'body', metatype }).then(
      () => undefined,
      (e: unknown) => e,
    )) as ApplicationError | undefined;
    return error?.errors ?? [];
  };
  const party = {
    partyId: 'bu-1',
    partyType: 'BUDGET_UNIT',
    name: '常州市某局',
    jurisdiction: 'changzhou',
    identifier: '11320400014000001T',
    contact: { name: '张三', phone: '0519-85681829' },
  };
  const old = { serial: 'GX-1', validUntil: '2024-03-01T00:00:00+08:00', boundPlatforms: ['SUCAIYUN'] };
  const component = {
    serial: 'CA-0001',
    issuer: 'JSCA',
    validFrom: '2023-09-08T09:00:00+08:00',
    validUntil: '2024-09-08T09:00:00+08:00',
  };

  it('refuse text over its field’s limit with the domain’s rule, by path, and take text at the limit', async () => {
    const long = (field: keyof typeof TEXT_LIMITS, extra = 1) => 'x'.repeat(TEXT_LIMITS[field] + extra);
    expect(await refusal(RegisterPartyDto, { ...party, name: long('name', 0) })).toEqual([]);
    expect(await refusal(RegisterPartyDto, { ...party, name: long('name') })).toEqual([
      { path: 'name', rule: textLimitRule('name') },
    ]);
    expect(await refusal(RegisterPartyDto, { ...party, contact: { name: long('contact.name'), phone: '1' } })).toEqual([
      { path: 'contact.name', rule: textLimitRule('contact.name') },
    ]);
    expect(await refusal(SubmitFilingDto, { filingId: 'f-1', additionalSets: 101, reason: long('reason') })).toEqual([
      { path: 'additionalSets', rule: 'an integer from 1 to 100' },
      { path: 'reason', rule: textLimitRule('reason') },
    ]);
    expect(await refusal(FilingDecisionDto, { decision: 'REJECT', reason: long('reason') })).toEqual([
      { path: 'reason', rule: textLimitRule('reason') },
    ]);
    expect(await refusal(RevokeDto, { reason: 'OTHER', note: long('note') })).toEqual([
      { path: 'note', rule: textLimitRule('note') },
    ]);
    expect(await refusal(IssueDto, { ca: { ...component, issuer: long('issuer') }, seal: component })).toEqual([
      { path: 'ca.issuer', rule: textLimitRule('issuer') },
    ]);
    expect(await refusal(PlatformDto, { platform: long('platform') })).toEqual([
      { path: 'platform', rule: textLimitRule('platform') },
    ]);
  });

  it('refuse arrays over their size and dates outside the date grammar', async () => {
    const platforms = Array.from({ length: ARRAY_LIMITS.boundPlatforms + 1 }, () => 'P');
    const apply = (oldCredential: object) => ({ partyId: 'bu-1', kind: 'REPLACEMENT', oldCredential });
    expect(await refusal(ApplyDto, apply({ ...old, boundPlatforms: platforms }))).toEqual([
      { path: 'oldCredential.boundPlatforms', rule: `at most ${ARRAY_LIMITS.boundPlatforms} items` },
    ]);
    expect(await refusal(ApplyDto, apply({ ...old, validUntil: '2024-03-01' }))).toEqual([
      { path: 'oldCredential.validUntil', rule: INSTANT_RULE },
    ]);
    expect(
      await refusal(IssueDto, { ca: { ...component, validFrom: '1970-01-01T00:00:00Z' }, seal: component }),
    ).toEqual([{ path: 'ca.validFrom', rule: INSTANT_RANGE_RULE }]);
    const item = { party, setId: 's-1', kind: 'NEW' };
    // Refused by its size before any item is validated (every one of these is broken).
    expect(await refusal(LaunchDto, { items: Array.from({ length: ARRAY_LIMITS.items + 1 }, () => ({})) })).toEqual([
      { path: 'items', rule: `at most ${ARRAY_LIMITS.items} items` },
    ]);
    expect(await refusal(LaunchDto, { items: [item, { ...item, setId: 'a b' }] })).toEqual([
      { path: 'items[1].setId', rule: ID_RULE },
    ]);
  });

  it('state their limits in the OpenAPI document', () => {
    const props = (dto: object) =>
      Reflect.getMetadata('swagger/apiModelProperties', (dto as { prototype: object }).prototype, 'name') as {
        maxLength?: number;
      };
    expect(props(RegisterPartyDto).maxLength).toBe(TEXT_LIMITS.name);
  });
});
