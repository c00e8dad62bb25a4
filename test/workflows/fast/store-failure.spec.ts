import { ApplicationFailure } from '@temporalio/common';
import { EventStoreError, WrongExpectedVersionError } from '@certflow/event-store';
import { classifyStoreError, isPermanentSqlState, REJECTED_BY_DATABASE } from '@certflow/activities';

const pgError = (code: string) => Object.assign(new Error(`pg ${code}`), { code });

describe('classifyStoreError', () => {
  it.each(['22P05', '22P02', '22001', '23505', '23514', '42601', '42703'])(
    'makes SQLSTATE %s (data, constraint, syntax) a non-retryable failure',
    (code) => {
      const f = classifyStoreError(pgError(code)) as ApplicationFailure;
      expect(f).toBeInstanceOf(ApplicationFailure);
      expect(f).toMatchObject({ type: REJECTED_BY_DATABASE, nonRetryable: true });
      expect(f.message).toContain(code);
    },
  );

  it.each(['40001', '40P01', '08006', '08003', '57P01', '57P03', '53300', 'EPIPE'])(
    'leaves SQLSTATE %s (serialization, deadlock, connection, shutdown, resources) to retry',
    (code) => {
      const e = pgError(code);
      expect(classifyStoreError(e)).toBe(e);
      expect(isPermanentSqlState(code)).toBe(false);
    },
  );

  it("finds the SQLSTATE inside TypeORM's driverError or a cause", () => {
    const wrapped = Object.assign(new Error('query failed'), { driverError: pgError('22P05') });
    expect(classifyStoreError(wrapped)).toMatchObject({ type: REJECTED_BY_DATABASE, nonRetryable: true });
    const caused = new Error('outer', { cause: pgError('23503') });
    expect(classifyStoreError(caused)).toMatchObject({ type: REJECTED_BY_DATABASE, nonRetryable: true });
  });

  it("makes the store's own refusals non-retryable under their code", () => {
    expect(classifyStoreError(new WrongExpectedVersionError('s', 1, 2))).toMatchObject({
      type: 'WRONG_EXPECTED_VERSION',
      nonRetryable: true,
    });
    expect(classifyStoreError(new EventStoreError('MALFORMED_EVENT', 'bad'))).toMatchObject({
      type: 'MALFORMED_EVENT',
      nonRetryable: true,
    });
  });

  it('leaves anything else (timeouts, connection refused) to retry', () => {
    const e = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    expect(classifyStoreError(e)).toBe(e);
    const t = new Error('timeout');
    expect(classifyStoreError(t)).toBe(t);
  });
});
