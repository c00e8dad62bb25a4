import { applyDecorators, Injectable, type ArgumentMetadata, type PipeTransform } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsString, Matches, MaxLength, MinLength, ValidateBy } from 'class-validator';
import { ApplicationError } from '@certflow/application';
import {
  ARRAY_LIMITS,
  arrayLimitRule,
  ID_PATTERN,
  ID_RULE,
  instantIssue,
  INSTANT_RULE,
  isId,
  isText,
  TEXT_LIMITS,
  TEXT_RULE,
  textIssues,
  textLimitRule,
  type ArrayField,
  type TextField,
} from '@certflow/domain';
import { problem, type Problem } from './problem';

type Res = { status(n: number): { type(t: string): { send(b: string): void } } };
type Issue = { path: string; rule: string };

const send = (res: Res, body: Problem) =>
  res.status(body.status).type('application/problem+json').send(JSON.stringify(body));

const invalid = (errors: Issue[]): Problem =>
  problem(400, 'INVALID_FIELD', errors.map((e) => `${e.path}: ${e.rule}`).join('; '), { errors });

/** A query parameter is a filter or an instant: never longer than this. */
export const QUERY_VALUE_LIMIT = 256;
const QUERY_VALUE_RULE = `at most ${QUERY_VALUE_LIMIT} characters`;

/**
 * The free-text grammar at the edge: a query parameter, the path or any string of a JSON body
 * (keys too) holding NUL, an unpaired surrogate or a control character, or a body nested too deep,
 * is refused here with its dotted path, before DTO validation, the domain, Temporal or PostgreSQL.
 */
export function refuseBadText(
  req: { query: Record<string, unknown>; path: string; body?: unknown },
  res: Res,
  next: () => void,
): void {
  const errors: Issue[] = [
    ...Object.entries(req.query).flatMap(([k, v]) => {
      const values = [v].flat(4).filter((x): x is string => typeof x === 'string');
      if (values.some((x) => !isText(x))) return [{ path: k, rule: TEXT_RULE }];
      if (values.some((x) => x.length > QUERY_VALUE_LIMIT)) return [{ path: k, rule: QUERY_VALUE_RULE }];
      return [];
    }),
    ...(isText(decodeURIComponentSafe(req.path)) ? [] : [{ path: 'path', rule: TEXT_RULE }]),
    ...textIssues(req.body),
  ];
  if (errors.length === 0) return next();
  send(res, invalid(errors));
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** What body-parser's error means to a client: too large 413, a charset or encoding we do not read 415, else 400. */
export function bodyParserProblem(e: unknown): Problem | null {
  if (!e || typeof e !== 'object') return null;
  const { type, message } = e as { type?: unknown; message?: unknown };
  const detail = typeof message === 'string' ? message : String(type);
  switch (type) {
    case 'entity.too.large':
      return problem(413, 'PAYLOAD_TOO_LARGE', `the body is larger than the limit: ${detail}`);
    case 'charset.unsupported':
    case 'encoding.unsupported':
      return problem(415, 'UNSUPPORTED_MEDIA_TYPE', `${detail}; send application/json in UTF-8`);
    case 'entity.parse.failed':
    case 'entity.verify.failed':
    case 'request.aborted':
    case 'request.size.invalid':
    case 'stream.encoding.set':
      return problem(400, 'MALFORMED_REQUEST', `the body is not JSON: ${detail}`);
    default:
      return null;
  }
}

/** Express error middleware after the body parser: its refusals leave as problems, not 500s. */
export function bodyParserErrors(err: unknown, _req: unknown, res: Res, next: (e: unknown) => void): void {
  const body = bodyParserProblem(err);
  if (!body) return next(err);
  send(res, body);
}

/** The path parameters that name an id. */
export const ID_PARAMS: ReadonlySet<string> = new Set(['partyId', 'setId', 'filingId', 'launchId']);

/** Every id path parameter matches the id grammar, or the request is refused naming it. */
@Injectable()
export class IdParamPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type !== 'param' || !metadata.data || !ID_PARAMS.has(metadata.data) || isId(value)) return value;
    throw new ApplicationError('INVALID_FIELD', `${metadata.data}: ${ID_RULE}`, [
      { path: metadata.data, rule: ID_RULE },
    ]);
  }
}

// The field grammars as DTO decorators: the same limits and rules as the domain's (libs/domain
// identifiers/grammar.ts), refused with the rule's own words, and stated in the OpenAPI document.
// Characters (NUL, surrogates, controls) are refused for the whole body by `refuseBadText`.

/** A free-text field within its field's length; `required` refuses an empty string too. */
export const IsTextOf = (field: TextField, required = true): PropertyDecorator =>
  applyDecorators(
    IsString(),
    ...(required ? [MinLength(1, { message: 'must not be empty' })] : []),
    MaxLength(TEXT_LIMITS[field], { message: textLimitRule(field) }),
    ApiProperty({ maxLength: TEXT_LIMITS[field], ...(required ? { minLength: 1 } : {}) }),
  );

/** An id: the stream-id grammar. */
export const IsIdOf = (): PropertyDecorator =>
  applyDecorators(
    IsString(),
    Matches(ID_PATTERN, { message: ID_RULE }),
    ApiProperty({ pattern: ID_PATTERN.source, minLength: 1, maxLength: 128 }),
  );

/** A date: an ISO-8601 instant with offset on a real day, within the grammar's years. */
export const IsInstantOf = (): PropertyDecorator =>
  applyDecorators(
    ValidateBy({
      name: 'instant',
      validator: {
        validate: (value: unknown) => instantIssue(value, '') === undefined,
        defaultMessage: (args) => instantIssue(args?.value, '')?.rule ?? INSTANT_RULE,
      },
    }),
    ApiProperty({ type: String, format: 'date-time' }),
  );

/** An array within its field's size; `each` holds its strings to a free-text field's length. */
export const IsArrayOf = (field: ArrayField, each?: TextField): PropertyDecorator =>
  applyDecorators(
    IsArray(),
    ArrayMaxSize(ARRAY_LIMITS[field], { message: arrayLimitRule(field) }),
    ...(each
      ? [IsString({ each: true }), MaxLength(TEXT_LIMITS[each], { each: true, message: `each ${textLimitRule(each)}` })]
      : []),
    ApiProperty({ maxItems: ARRAY_LIMITS[field] }),
  );
