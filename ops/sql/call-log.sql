-- Read side of calls (reference 3.6 / 3.10): the call log and the call-flow log, fed by the call-log projection
-- (io.openvoice.calllog) from the call entities' journal events, and the projection's offset tables.
--
-- H2 (the default): a node runs this file at start (it is packaged as sql/call-log.sql).
-- PostgreSQL: these statements are part of the migration ops/sql/postgres/V1__schema.sql (applied by
-- ops/postgres/start.sh); CallLogSchemaTest checks that every statement here is there too, so change both.
-- Every statement is idempotent, so running it again is harmless.
-- Plain SQL only: the same text must run on H2 2.x and PostgreSQL 12+.

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

-- The call-log projection reads the journal by tag (eventsByTag). The plugin's schema indexes event_tag by
-- (event_id, tag) only: on H2 every poll of a tag then scans the whole event_tag table, a cost that grows with the
-- journal. With (tag, event_id) a poll reads that tag's rows only.
CREATE INDEX IF NOT EXISTS event_tag_tag_idx ON event_tag (tag, event_id);
