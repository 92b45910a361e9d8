DROP TABLE ledger_sends;
