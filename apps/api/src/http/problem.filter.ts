import { Catch, HttpException, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { bodyParserProblem } from './input-grammar';
import { toPendingStep, toProblem, type Problem } from './problem';

interface HttpResponse {
  setHeader(name: string, value: string): void;
  status(n: number): { type(t: string): { send(b: string): void } };
}

const RETRY_AFTER_SECONDS = '5';

/** Every error leaves as application/problem+json; what we cannot explain is a 500 without internals. */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('api');

  catch(error: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<HttpResponse>();
    const pending = toPendingStep(error);
    if (pending) {
      response.setHeader('Location', pending.location);
      response.status(202).type('application/json').send(JSON.stringify(pending.body));
      return;
    }
    const body = this.toBody(error);
    if (body.status >= 500) this.logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    // Whatever is away (PostgreSQL, Temporal, the worker) is usually back within seconds.
    if (body.status === 503) response.setHeader('Retry-After', RETRY_AFTER_SECONDS);
    response.status(body.status).type('application/problem+json').send(JSON.stringify(body));
  }

  private toBody(error: unknown): Problem {
    const mapped = toProblem(error) ?? bodyParserProblem(error);
    if (mapped) return mapped;
    if (error instanceof HttpException) {
      const status = error.getStatus();
      const r = error.getResponse();
      const message = typeof r === 'string' ? r : ((r as { message?: unknown }).message ?? error.message);
      const detail = Array.isArray(message)
        ? message.join('; ')
        : typeof message === 'string'
          ? message
          : error.message;
      const rule = status === 404 ? 'NOT_FOUND' : status === 400 ? 'MALFORMED_REQUEST' : `HTTP_${status}`;
      return { type: `https://certflow.example/problems/${rule.toLowerCase()}`, title: rule, status, detail, rule };
    }
    if (isUnavailable(error)) {
      return {
        type: 'https://certflow.example/problems/unavailable',
        title: 'UNAVAILABLE',
        status: 503,
        detail: 'a backing service (PostgreSQL or Temporal) is unavailable; retry later',
        rule: 'UNAVAILABLE',
      };
    }
    return { type: 'about:blank', title: 'Internal Server Error', status: 500, detail: 'unexpected error' };
  }
}

/**
 * PostgreSQL or Temporal away: connection refused or reset, the server shutting down or starting
 * up, a pool that cannot connect, or gRPC UNAVAILABLE / DEADLINE_EXCEEDED from Temporal.
 */
function isUnavailable(e: unknown, depth = 0): boolean {
  if (!e || typeof e !== 'object' || depth > 3) return false;
  const { code, message, cause, driverError } = e as {
    code?: unknown;
    message?: unknown;
    cause?: unknown;
    driverError?: unknown;
  };
  if (typeof code === 'string' && (UNAVAILABLE_CODES.has(code) || code.startsWith('08'))) return true;
  if (typeof code === 'number' && (code === 14 || code === 4)) return true; // gRPC UNAVAILABLE, DEADLINE_EXCEEDED
  if (typeof message === 'string' && UNAVAILABLE_MESSAGE.test(message)) return true;
  return isUnavailable(cause, depth + 1) || isUnavailable(driverError, depth + 1);
}

// 57014: a statement cancelled by statement_timeout; 25P03: a session ended idle in a transaction.
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  '57P01',
  '57P02',
  '57P03',
  '57014',
  '25P03',
]);
const UNAVAILABLE_MESSAGE =
  /Connection terminated|connect ECONNREFUSED|timeout exceeded when trying to connect|the database system is (starting up|shutting down)|14 UNAVAILABLE|Connection refused|Query read timeout/;
