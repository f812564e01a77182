-- evpace schema 1: entities, sources, facts, events.
-- Portable SQL: the same text runs on SQLite and PostgreSQL.
CREATE TABLE entities (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    parent_id TEXT,
    aliases TEXT NOT NULL DEFAULT '',
    rollup TEXT NOT NULL DEFAULT 'none',
    tags TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    source_url TEXT NOT NULL DEFAULT ''
);

CREATE TABLE sources (
    id TEXT PRIMARY KEY,
    url TEXT NOT NULL UNIQUE,
    publisher TEXT NOT NULL DEFAULT '',
    title TEXT NOT NULL DEFAULT '',
    accessed TEXT
);

CREATE TABLE facts (
    id TEXT PRIMARY KEY,
    entity_id TEXT NOT NULL REFERENCES entities(id),
    metric TEXT NOT NULL,
    scope TEXT NOT NULL,
    period TEXT NOT NULL,
    period_end TEXT NOT NULL,
    value DOUBLE PRECISION NOT NULL,
    bound TEXT NOT NULL,
    kind TEXT NOT NULL,
    basis TEXT NOT NULL DEFAULT '',
    flags TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    place TEXT NOT NULL DEFAULT '',
    source_id TEXT NOT NULL REFERENCES sources(id),
    published TEXT,
    published_basis TEXT NOT NULL DEFAULT 'unknown',
    document_id TEXT,
    sentence TEXT,
    span_start INTEGER,
    span_end INTEGER,
    extractor TEXT,
    origin_ref TEXT NOT NULL DEFAULT '',
    recorded_at TEXT NOT NULL
);
CREATE INDEX facts_entity ON facts (entity_id, metric, scope, period);
CREATE INDEX facts_published ON facts (published);

CREATE TABLE events (
    id TEXT PRIMARY KEY,
    entity_id TEXT NOT NULL REFERENCES entities(id),
    event TEXT NOT NULL,
    date TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'confirmed',
    place TEXT NOT NULL DEFAULT '',
    model TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    source_id TEXT NOT NULL REFERENCES sources(id),
    origin_ref TEXT NOT NULL DEFAULT '',
    recorded_at TEXT NOT NULL
);
CREATE INDEX events_entity ON events (entity_id, event);
