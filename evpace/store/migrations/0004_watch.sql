-- evpace schema 4: watch rules, the alerts they raised, and each alert's delivery per channel (an outbox).
-- Portable SQL: the same text runs on SQLite and PostgreSQL. Ids of rules are given by evpace (MAX + 1),
-- so no SERIAL / AUTOINCREMENT is needed; a removed rule keeps its row (removed_at) and its id is never reused.
CREATE TABLE watch_rules (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    entity_id TEXT,
    params TEXT NOT NULL DEFAULT '{}',
    created_at TEXT NOT NULL,
    removed_at TEXT
);

-- One row per thing a rule noticed. ``key`` is stable (rule id + what fired), so evaluating the rules
-- again inserts nothing new. ``baseline`` = 1: it was already true when the rule was added; kept so it is
-- never reported, and never delivered.
CREATE TABLE watch_alerts (
    id TEXT PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    rule_id INTEGER NOT NULL REFERENCES watch_rules(id),
    kind TEXT NOT NULL,
    entity_id TEXT NOT NULL DEFAULT '',
    entity TEXT NOT NULL DEFAULT '',
    message TEXT NOT NULL,
    event_date TEXT,
    payload TEXT NOT NULL DEFAULT '{}',
    baseline INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
);
CREATE INDEX watch_alerts_created ON watch_alerts (created_at);

-- The outbox: one row per alert and channel. status: pending -> sending (claimed by a run until
-- claimed_until) -> sent. A failed attempt goes back to pending with its error.
CREATE TABLE watch_deliveries (
    alert_id TEXT NOT NULL REFERENCES watch_alerts(id),
    channel TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending',
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT NOT NULL DEFAULT '',
    claimed_until TEXT,
    last_attempt_at TEXT,
    sent_at TEXT,
    PRIMARY KEY (alert_id, channel)
);
CREATE INDEX watch_deliveries_status ON watch_deliveries (channel, status);

-- Channels configured once (``evpace watch channel add``); secrets are never stored, only the names of
-- the environment variables that hold them.
CREATE TABLE watch_channels (
    name TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    config TEXT NOT NULL DEFAULT '{}',
    created_at TEXT NOT NULL
);

-- Documents an inconsistent-claim rule has checked already (written with the alerts they raised).
CREATE TABLE watch_scanned (
    rule_id INTEGER NOT NULL REFERENCES watch_rules(id),
    document_id TEXT NOT NULL,
    scanned_at TEXT NOT NULL,
    PRIMARY KEY (rule_id, document_id)
);
