-- The monthly ledgers (台账月报告) e-mailed on the first working day of a
-- month: an instance sends a month's ledger only if it inserted its row here
-- first, so that of several instances exactly one sends it.
CREATE TABLE ledger_sends (
    month TEXT PRIMARY KEY NOT NULL,
    sent_at TIMESTAMP NOT NULL,
    recipients INTEGER NOT NULL
);
