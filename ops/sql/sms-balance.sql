-- Prepaid SMS balances and their ledger (io.openvoice.limits.SmsBalance): the account's balance row is locked
-- for each change, and every change is a ledger row keyed by (message, op), so a debit, credit or re-debit of one
-- message happens once however often it is asked (a message entity asks again after a crash).
--
-- H2 (the default): a node runs this file at start (packaged as sql/sms-balance.sql).
-- PostgreSQL: these statements are part of the migration ops/sql/postgres/V1__schema.sql; SmsLogSchemaTest checks
-- that every statement here is there too, so change both. Every statement is idempotent. Plain SQL only.
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
