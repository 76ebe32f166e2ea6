-- PostgreSQL schema of a node, version 1: everything a node on PostgreSQL (cluster-config/postgres.conf) needs.
-- ops/postgres/start.sh applies it; by hand: psql "postgresql://calls@127.0.0.1:55432/calls" -v ON_ERROR_STOP=1
-- --single-transaction -f ops/sql/postgres/V1__schema.sql. Every statement is IF NOT EXISTS, so applying it again
-- is harmless, and it can run in one transaction. Names are not schema-qualified: the tables go to the first
-- schema of the role's search_path (public by default; the tests give each node a schema of its own).
--
-- Plain statements only, each ending with ';' at the end of a line, and '--' comments only: a node also runs this
-- file itself when openvoice.create-schema = on (io.openvoice.calllog.CallLogDb#applyScript).

-- 1. pekko-persistence-jdbc 1.1.1 (journal, tags, snapshots, durable state): the shape of the library's own
--    schema/postgres/postgres-create-schema.sql, with IF NOT EXISTS on the indexes and without CONCURRENTLY
--    (the indexes are made with their empty tables, and CONCURRENTLY cannot run in a transaction).
CREATE TABLE IF NOT EXISTS event_journal (
  ordering BIGSERIAL,
  persistence_id VARCHAR(255) NOT NULL,
  sequence_number BIGINT NOT NULL,
  deleted BOOLEAN DEFAULT FALSE NOT NULL,

  writer VARCHAR(255) NOT NULL,
  write_timestamp BIGINT,
  adapter_manifest VARCHAR(255),

  event_ser_id INTEGER NOT NULL,
  event_ser_manifest VARCHAR(255) NOT NULL,
  event_payload BYTEA NOT NULL,

  meta_ser_id INTEGER,
  meta_ser_manifest VARCHAR(255),
  meta_payload BYTEA,

  PRIMARY KEY(persistence_id, sequence_number)
);

CREATE UNIQUE INDEX IF NOT EXISTS event_journal_ordering_idx ON event_journal(ordering);

CREATE TABLE IF NOT EXISTS event_tag (
  event_id BIGINT,
  tag VARCHAR(256),
  PRIMARY KEY(event_id, tag),
  CONSTRAINT fk_event_journal
    FOREIGN KEY(event_id)
    REFERENCES event_journal(ordering)
    ON DELETE CASCADE
);

CREATE TABLE IF NOT EXISTS snapshot (
  persistence_id VARCHAR(255) NOT NULL,
  sequence_number BIGINT NOT NULL,
  created BIGINT NOT NULL,

  snapshot_ser_id INTEGER NOT NULL,
  snapshot_ser_manifest VARCHAR(255) NOT NULL,
  snapshot_payload BYTEA NOT NULL,

  meta_ser_id INTEGER,
  meta_ser_manifest VARCHAR(255),
  meta_payload BYTEA,

  PRIMARY KEY(persistence_id, sequence_number)
);

-- the durable-state store takes the next global_offset from this column's own sequence
-- (nextval(pg_get_serial_sequence('durable_state', 'global_offset')))
CREATE TABLE IF NOT EXISTS durable_state (
  global_offset BIGSERIAL,
  persistence_id VARCHAR(255) NOT NULL,
  revision BIGINT NOT NULL,
  state_payload BYTEA NOT NULL,
  state_serial_id INTEGER NOT NULL,
  state_serial_manifest VARCHAR(255),
  tag VARCHAR,
  state_timestamp BIGINT NOT NULL,
  PRIMARY KEY(persistence_id)
);
CREATE INDEX IF NOT EXISTS state_tag_idx ON durable_state (tag);
CREATE INDEX IF NOT EXISTS state_global_offset_idx ON durable_state (global_offset);

-- 2. The call-log read side and the offsets of its projection: the statements of ops/sql/call-log.sql (which an
--    H2 node runs at start), unchanged: they are plain SQL that PostgreSQL takes as they are. The offset tables
--    are those pekko-projection-jdbc 1.0.0's postgres-dialect creates (lower-case names, use-lowercase-schema).
--    CallLogSchemaTest checks that every statement of call-log.sql is here.
-- One row per call (a dialled leg is a call of its own, with parent = the call that dialled it).
CREATE TABLE IF NOT EXISTS call_log (
  uuid            VARCHAR(36)  NOT NULL PRIMARY KEY,
  account         VARCHAR(36)  NOT NULL,
  app             VARCHAR(36),
  app_name        VARCHAR(255),
  tn              VARCHAR(64),
  from_number     VARCHAR(255),
  to_number       VARCHAR(255),
  direction       VARCHAR(8)   NOT NULL,
  parent          VARCHAR(36),
  -- online | offline (offline once the call is destroyed or failed)
  state           VARCHAR(8)   NOT NULL,
  -- init, ringing, live, bridged, hangup, destroyed, failed
  last_state      VARCHAR(16)  NOT NULL,
  created_on      TIMESTAMP WITH TIME ZONE NOT NULL,
  modified_on     TIMESTAMP WITH TIME ZONE NOT NULL,
  ring_on         TIMESTAMP WITH TIME ZONE,
  answer_on       TIMESTAMP WITH TIME ZONE,
  hangup_on       TIMESTAMP WITH TIME ZONE,
  destroy_on      TIMESTAMP WITH TIME ZONE,
  -- seconds from creation to the last event (to the end once offline)
  duration        BIGINT       NOT NULL,
  q850_cause      INTEGER,
  hangup_reason   VARCHAR(1024),
  -- the journal sequence number of the last event applied (a replayed event is never applied twice)
  seq_nr          BIGINT       NOT NULL
);
CREATE INDEX IF NOT EXISTS call_log_account_created ON call_log (account, created_on);
CREATE INDEX IF NOT EXISTS call_log_account_app_created ON call_log (account, app, created_on);
CREATE INDEX IF NOT EXISTS call_log_account_state_created ON call_log (account, state, created_on);
CREATE INDEX IF NOT EXISTS call_log_account_tn ON call_log (account, tn);
CREATE INDEX IF NOT EXISTS call_log_parent ON call_log (parent);

-- One row per call-flow event of a call (a verb started, finished or skipped), in the order the flow ran them.
CREATE TABLE IF NOT EXISTS call_flow_log (
  uuid            VARCHAR(36)  NOT NULL PRIMARY KEY,
  call_uuid       VARCHAR(36)  NOT NULL,
  account         VARCHAR(36)  NOT NULL,
  app             VARCHAR(36),
  tn              VARCHAR(64),
  from_number     VARCHAR(255),
  -- the journal event of the call that produced it, and its place among that event's steps
  seq_nr          BIGINT       NOT NULL,
  idx             INTEGER      NOT NULL,
  path            VARCHAR(1024) NOT NULL,
  command         VARCHAR(64)  NOT NULL,
  -- started | finished | skipped
  phase           VARCHAR(16)  NOT NULL,
  success         BOOLEAN      NOT NULL,
  reason          VARCHAR(1024),
  tag             VARCHAR(255),
  created_on      TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX IF NOT EXISTS call_flow_log_app_created ON call_flow_log (account, app, created_on);
CREATE INDEX IF NOT EXISTS call_flow_log_call ON call_flow_log (call_uuid, seq_nr, idx);

-- Pekko Projection JDBC offset store (pekko.projection.jdbc.offset-store, lower-case names): the offset of each
-- call-log slice is written in the same transaction as its rows.
CREATE TABLE IF NOT EXISTS pekko_projection_offset_store (
  projection_name VARCHAR(255) NOT NULL,
  projection_key  VARCHAR(255) NOT NULL,
  current_offset  VARCHAR(255) NOT NULL,
  manifest        VARCHAR(4)   NOT NULL,
  mergeable       BOOLEAN      NOT NULL,
  last_updated    BIGINT       NOT NULL,
  PRIMARY KEY (projection_name, projection_key)
);
CREATE INDEX IF NOT EXISTS projection_name_index ON pekko_projection_offset_store (projection_name);
CREATE TABLE IF NOT EXISTS pekko_projection_management (
  projection_name VARCHAR(255) NOT NULL,
  projection_key  VARCHAR(255) NOT NULL,
  paused          BOOLEAN      NOT NULL,
  last_updated    BIGINT       NOT NULL,
  PRIMARY KEY (projection_name, projection_key)
);

-- 3. The SMS log (ops/sql/sms-log.sql, the same statements; SmsLogSchemaTest compares them).
CREATE TABLE IF NOT EXISTS sms_log (
  uuid              VARCHAR(36)   NOT NULL PRIMARY KEY,
  account           VARCHAR(36)   NOT NULL,
  -- out | in
  direction         VARCHAR(3)    NOT NULL,
  -- our number: the sender of an outbound message, the receiver of an inbound one
  tn                VARCHAR(64),
  from_number       VARCHAR(255),
  to_number         VARCHAR(255),
  thread            VARCHAR(32),
  message           VARCHAR(4096),
  -- created, sending, sent, failed (outbound); success (inbound)
  state             VARCHAR(16)   NOT NULL,
  delivered         BOOLEAN       NOT NULL,
  reason            VARCHAR(64),
  detail            VARCHAR(1024),
  parts             INTEGER       NOT NULL,
  encoding          VARCHAR(8),
  gateway           VARCHAR(64),
  reference_id      VARCHAR(255),
  messaging_profile VARCHAR(36),
  created_on        TIMESTAMP WITH TIME ZONE NOT NULL,
  modified_on       TIMESTAMP WITH TIME ZONE NOT NULL,
  -- the journal sequence number of the last event applied
  seq_nr            BIGINT        NOT NULL
);
CREATE INDEX IF NOT EXISTS sms_log_account_created ON sms_log (account, created_on);
CREATE INDEX IF NOT EXISTS sms_log_account_direction_created ON sms_log (account, direction, created_on);
CREATE INDEX IF NOT EXISTS sms_log_account_thread ON sms_log (account, thread);

-- The call-log projection reads the journal by tag (eventsByTag); see ops/sql/call-log.sql.
CREATE INDEX IF NOT EXISTS event_tag_tag_idx ON event_tag (tag, event_id);

-- Prepaid SMS balances and their ledger (ops/sql/sms-balance.sql; SmsLogSchemaTest keeps the two in step).
CREATE TABLE IF NOT EXISTS sms_balance (
  account           VARCHAR(36)   NOT NULL PRIMARY KEY,
  -- SMS parts left; NULL: unlimited (as is an account with no row)
  balance           BIGINT,
  modified_on       TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE TABLE IF NOT EXISTS sms_ledger (
  -- the message (debit, credit, redebit), or the operator's change (set, adjust: a new uuid per change)
  message           VARCHAR(36)   NOT NULL,
  -- debit | credit | redebit | set | adjust
  op                VARCHAR(8)    NOT NULL,
  account           VARCHAR(36)   NOT NULL,
  -- parts taken (debit, redebit), given back (credit), added (adjust; may be negative) or the new balance (set)
  parts             BIGINT,
  -- the balance after the change; NULL: unlimited
  balance_after     BIGINT,
  at                TIMESTAMP WITH TIME ZONE NOT NULL,
  PRIMARY KEY (message, op)
);
CREATE INDEX IF NOT EXISTS sms_ledger_account_at ON sms_ledger (account, at);

-- Sticky senders of messaging-profile pools (ops/sql/sms-sticky.sql; SmsLogSchemaTest keeps the two in step).
CREATE TABLE IF NOT EXISTS sms_sticky_sender (
  -- the messaging profile's uuid
  profile           VARCHAR(36)   NOT NULL,
  -- the recipient's number (digits, E.164 without +)
  recipient         VARCHAR(32)   NOT NULL,
  -- the pool number it is sent from
  sender            VARCHAR(64)   NOT NULL,
  -- when the pair was stored or last refreshed (at most once a day)
  used_on           TIMESTAMP WITH TIME ZONE NOT NULL,
  PRIMARY KEY (profile, recipient)
);
CREATE INDEX IF NOT EXISTS sms_sticky_sender_used_on ON sms_sticky_sender (used_on);
