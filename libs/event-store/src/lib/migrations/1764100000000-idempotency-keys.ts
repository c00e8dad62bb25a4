import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Idempotency keys across workflow runs and API restarts (libs/idempotency owns the queries): each
 * key with who sent it, the route, a hash of the request and, once answered, the first answer.
 * Rows live at least 24 hours (`expires_at`); expired rows are replaced on use and swept.
 */
export class IdempotencyKeys1764100000000 implements MigrationInterface {
  name = 'IdempotencyKeys1764100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE idempotency_keys (
        key             text PRIMARY KEY,
        actor           text,
        route           text NOT NULL,
        request_hash    text NOT NULL,
        status          text NOT NULL CHECK (status IN ('IN_FLIGHT', 'COMPLETED')),
        claim_token     uuid NOT NULL,
        response_status integer,
        response_body   text,
        created_at      timestamptz NOT NULL,
        claimed_at      timestamptz NOT NULL,
        completed_at    timestamptz,
        expires_at      timestamptz NOT NULL,
        CHECK ((status = 'COMPLETED') = (response_status IS NOT NULL AND response_body IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX idempotency_keys_expires ON idempotency_keys (expires_at)`);
    await q.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON idempotency_keys TO certflow_app`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE idempotency_keys`);
  }
}
