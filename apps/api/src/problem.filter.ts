import { Catch, HttpException, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { toProblem, type Problem } from '@certflow/campaign';

/** Every error leaves as application/problem+json; what we cannot explain is a 500 without internals. */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('api');

  catch(error: unknown, host: ArgumentsHost): void {
    const response = host
      .switchToHttp()
      .getResponse<{ status(n: number): { type(t: string): { send(b: string): void } } }>();
    const body = this.toBody(error);
    if (body.status >= 500) this.logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    response.status(body.status).type('application/problem+json').send(JSON.stringify(body));
  }

  private toBody(error: unknown): Problem {
    const mapped = toProblem(error);
    if (mapped) return mapped.problem;
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
    if (isDatabaseDown(error)) {
      return {
        type: 'https://certflow.example/problems/unavailable',
        title: 'UNAVAILABLE',
        status: 503,
        detail: 'a backing service is unavailable; retry later',
      };
    }
    return { type: 'about:blank', title: 'Internal Server Error', status: 500, detail: 'unexpected error' };
  }
}

function isDatabaseDown(e: unknown): boolean {
  const code = (e as { code?: string }).code;
  return (
    code === 'ECONNREFUSED' ||
    code === '57P01' ||
    code === '57P03' ||
    /Connection terminated|connect ECONNREFUSED/.test(String((e as Error)?.message))
  );
}
