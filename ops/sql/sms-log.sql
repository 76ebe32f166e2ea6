-- Read side of SMS (reference 3.4, the "SMS log"): one row per message, outbound and inbound, fed by the sms-log
-- projection (io.openvoice.sms.log) from the message entities' journal events (tag "sms").
--
-- H2 (the default): a node runs this file at start (it is packaged as sql/sms-log.sql), after call-log.sql (which
-- creates the projection offset tables this projection shares).
-- PostgreSQL: these statements are part of the migration ops/sql/postgres/V1__schema.sql; SmsLogSchemaTest checks
-- that every statement here is there too, so change both. Every statement is idempotent. Plain SQL only.
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
