import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Campaign launches: the list a finance department submits, kept until the launch workflow has
 * worked through it in chunks (too large for a workflow's input), with each item's outcome.
 */
export class Launches1763900000000 implements MigrationInterface {
  name = 'Launches1763900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE launches (
        launch_id    text PRIMARY KEY,
        policy_id    text NOT NULL,
        actor        jsonb NOT NULL,
        requested_at timestamptz NOT NULL,
        total        integer NOT NULL
      )`);
    await q.query(`
      CREATE TABLE launch_items (
        launch_id text NOT NULL REFERENCES launches ON DELETE CASCADE,
        seq       integer NOT NULL,
        party_id  text NOT NULL,
        set_id    text NOT NULL,
        item      jsonb NOT NULL,
        outcome   text CHECK (outcome IN ('LAUNCHED', 'REFUSED')),
        problem   jsonb,
        PRIMARY KEY (launch_id, seq)
      )`);
    await q.query(`CREATE INDEX launch_items_outcome ON launch_items (launch_id, outcome)`);
    await q.query(`GRANT SELECT, INSERT ON launches TO certflow_app`);
    await q.query(`GRANT SELECT, INSERT, UPDATE ON launch_items TO certflow_app`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE launch_items, launches`);
  }
}
