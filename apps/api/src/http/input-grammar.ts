import { Injectable, type ArgumentMetadata, type PipeTransform } from '@nestjs/common';
import { ApplicationError } from '@certflow/application';
import { ID_RULE, isId, isText, TEXT_RULE, textIssues } from '@certflow/domain';
import { problem, type Problem } from './problem';

type Res = { status(n: number): { type(t: string): { send(b: string): void } } };
type Issue = { path: string; rule: string };

const send = (res: Res, body: Problem) =>
  res.status(body.status).type('application/problem+json').send(JSON.stringify(body));

const invalid = (errors: Issue[]): Problem =>
  problem(400, 'INVALID_FIELD', errors.map((e) => `${e.path}: ${e.rule}`).join('; '), { errors });

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
    ...Object.entries(req.query)
      .filter(([, v]) => [v].flat(4).some((x) => typeof x === 'string' && !isText(x)))
      .map(([k]) => ({ path: k, rule: TEXT_RULE })),
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
