-- Sticky senders of messaging-profile pools (io.openvoice.sms.StickySenders): the number a recipient got from a
-- profile's pool with sticky_sender on. A pair is inserted once (the primary key settles concurrent first sends:
-- the loser reads the winner's row), replaced when its number left the pool or is unhealthy, refreshed at most once
-- a day while in use (used_on), ignored once unused for openvoice.sms.pool.sticky-ttl and then deleted by the
-- hourly clean-up (the index on used_on).
--
-- H2 (the default): a node runs this file at start (packaged as sql/sms-sticky.sql).
-- PostgreSQL: these statements are part of the migration ops/sql/postgres/V1__schema.sql; SmsLogSchemaTest checks
-- that every statement here is there too, so change both. Every statement is idempotent. Plain SQL only.
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
