import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Read models folded from the log, and the projector's checkpoint. Rebuildable from the log at any time. */
export class Projections1763800100000 implements MigrationInterface {
  name = 'Projections1763800100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE credential_set_view (
        stream_id         text PRIMARY KEY,
        set_id            text NOT NULL,
        party_id          text,
        party_type        text,
        jurisdiction      text,
        status            text NOT NULL,
        valid_until       timestamptz,
        bound_platforms   text[] NOT NULL,
        blocked_platforms text[] NOT NULL,
        version           integer NOT NULL,
        state             jsonb NOT NULL,
        last_position     bigint NOT NULL,
        updated_at        timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX credential_set_view_party ON credential_set_view (party_id)`);
    await q.query(`CREATE INDEX credential_set_view_filter ON credential_set_view (jurisdiction, status)`);
    await q.query(`
      CREATE TABLE party_view (
        stream_id     text PRIMARY KEY,
        party_id      text NOT NULL,
        party_type    text,
        name          text,
        jurisdiction  text,
        open_sets     integer NOT NULL,
        allowed_sets  integer NOT NULL,
        version       integer NOT NULL,
        state         jsonb NOT NULL,
        last_position bigint NOT NULL,
        updated_at    timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX party_view_filter ON party_view (jurisdiction, party_type)`);
    await q.query(`
      CREATE TABLE projection_checkpoints (
        projection text PRIMARY KEY,
        tx_id      xid8 NOT NULL,
        position   bigint NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
    await q.query(
      `GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON credential_set_view, party_view, projection_checkpoints TO certflow_app`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE projection_checkpoints, party_view, credential_set_view`);
  }
}
