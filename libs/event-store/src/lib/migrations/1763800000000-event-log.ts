import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The append-only event log, its stream heads, idempotency records, signed checkpoints, and the
 * application role. Events can be inserted and read, never changed: the role lacks the grants and
 * a trigger refuses UPDATE, DELETE and TRUNCATE for everyone, superusers included.
 */
export class EventLog1763800000000 implements MigrationInterface {
  name = 'EventLog1763800000000';

  async up(q: QueryRunner): Promise<void> {
    await createLog(q);
    await createCheckpoints(q);
    await makeAppendOnly(q);
    await grantToApp(q);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `REVOKE ALL ON event_streams, events, event_idempotency, event_checkpoints, event_checkpoint_heads FROM certflow_app`,
    );
    await q.query(`REVOKE USAGE ON SCHEMA public FROM certflow_app`);
    await q.query(`DROP TABLE event_checkpoint_heads, event_checkpoints, event_idempotency, events, event_streams`);
    await q.query(`DROP FUNCTION certflow_refuse_change()`);
    // The role may own grants in other databases of the cluster; it is left for the DBA to drop.
  }
}

/** The stream heads, the events with their read indexes, and the idempotency records. */
async function createLog(q: QueryRunner): Promise<void> {
  await q.query(`
      CREATE TABLE event_streams (
        stream_id     text PRIMARY KEY,
        category      text NOT NULL,
        version       integer NOT NULL CHECK (version >= 0),
        head_hash     bytea NOT NULL,
        party_id      text,
        jurisdiction  text,
        created_at    timestamptz NOT NULL DEFAULT clock_timestamp(),
        updated_at    timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
  await q.query(`
      CREATE TABLE events (
        position        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        -- The writing transaction: readers only pass rows below the oldest open transaction.
        tx_id           xid8 NOT NULL DEFAULT pg_current_xact_id(),
        event_id        uuid NOT NULL UNIQUE,
        stream_id       text NOT NULL,
        stream_version  integer NOT NULL CHECK (stream_version >= 1),
        event_type      text NOT NULL,
        schema_version  integer NOT NULL CHECK (schema_version >= 1),
        payload         jsonb NOT NULL,
        actor_id        text NOT NULL,
        actor_role      text NOT NULL,
        causation_id    uuid,
        correlation_id  uuid,
        business_time   timestamptz NOT NULL,
        recorded_at     timestamptz NOT NULL,
        idempotency_key text NOT NULL,
        party_id        text,
        jurisdiction    text,
        prev_hash       bytea NOT NULL,
        hash            bytea NOT NULL,
        UNIQUE (stream_id, stream_version),
        UNIQUE (idempotency_key)
      )`);
  await q.query(`CREATE INDEX events_tx_position ON events (tx_id, position)`);
  await q.query(`CREATE INDEX events_party ON events (party_id, business_time) WHERE party_id IS NOT NULL`);
  await q.query(`CREATE INDEX events_jurisdiction ON events (jurisdiction, business_time)`);
  await q.query(`CREATE INDEX events_type_time ON events (event_type, business_time)`);
  await q.query(`
      CREATE TABLE event_idempotency (
        idempotency_key text PRIMARY KEY,
        stream_id       text NOT NULL,
        request_hash    bytea NOT NULL,
        result          jsonb NOT NULL,
        recorded_at     timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
}

/** Signed checkpoints and the stream heads each one covers. */
async function createCheckpoints(q: QueryRunner): Promise<void> {
  await q.query(`
      CREATE TABLE event_checkpoints (
        id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        created_at   timestamptz NOT NULL DEFAULT clock_timestamp(),
        stream_count integer NOT NULL,
        digest       bytea NOT NULL,
        key_id       text NOT NULL,
        signature    bytea NOT NULL
      )`);
  await q.query(`
      CREATE TABLE event_checkpoint_heads (
        checkpoint_id bigint NOT NULL REFERENCES event_checkpoints (id),
        stream_id     text NOT NULL,
        version       integer NOT NULL,
        head_hash     bytea NOT NULL,
        PRIMARY KEY (checkpoint_id, stream_id)
      )`);
}

/** A trigger refusing UPDATE, DELETE and TRUNCATE on every log table, for everyone. */
async function makeAppendOnly(q: QueryRunner): Promise<void> {
  await q.query(`
      CREATE FUNCTION certflow_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'certflow: % on % is refused: the event log is append-only', TG_OP, TG_TABLE_NAME
          USING ERRCODE = 'insufficient_privilege';
      END $$`);
  for (const table of ['events', 'event_idempotency', 'event_checkpoints', 'event_checkpoint_heads']) {
    await q.query(`CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE ON ${table}
                     FOR EACH ROW EXECUTE FUNCTION certflow_refuse_change()`);
    await q.query(`CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON ${table}
                     FOR EACH STATEMENT EXECUTE FUNCTION certflow_refuse_change()`);
  }
}

/** The application role: it may read and insert, and move stream heads, nothing else. */
async function grantToApp(q: QueryRunner): Promise<void> {
  await q.query(`
      DO $$ BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'certflow_app') THEN
          CREATE ROLE certflow_app NOLOGIN;
        END IF;
      EXCEPTION WHEN duplicate_object OR unique_violation THEN
        NULL; -- roles are cluster-wide: another database's migration created it first
      END $$`);
  await q.query(`GRANT USAGE ON SCHEMA public TO certflow_app`);
  await q.query(
    `GRANT SELECT, INSERT ON events, event_idempotency, event_checkpoints, event_checkpoint_heads TO certflow_app`,
  );
  await q.query(`GRANT SELECT, INSERT, UPDATE ON event_streams TO certflow_app`);
}
