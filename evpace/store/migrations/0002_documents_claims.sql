-- evpace schema 2: ingested documents and the claims read from them (percent changes, ratios,
-- durations), each with its provenance.
CREATE TABLE documents (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL DEFAULT '',
    url TEXT NOT NULL DEFAULT '',
    title TEXT NOT NULL DEFAULT '',
    published TEXT,
    path TEXT NOT NULL DEFAULT '',
    text TEXT NOT NULL,
    extractor TEXT NOT NULL DEFAULT '',
    n_facts INTEGER NOT NULL DEFAULT 0,
    ingested_at TEXT NOT NULL
);

CREATE TABLE claims (
    id TEXT PRIMARY KEY,
    document_id TEXT NOT NULL REFERENCES documents(id),
    entity_id TEXT NOT NULL REFERENCES entities(id),
    metric TEXT NOT NULL,
    scope TEXT NOT NULL DEFAULT '',
    period TEXT NOT NULL DEFAULT '',
    value DOUBLE PRECISION NOT NULL,
    unit TEXT NOT NULL,
    bound TEXT NOT NULL,
    kind TEXT NOT NULL,
    change TEXT NOT NULL DEFAULT '',
    from_threshold DOUBLE PRECISION,
    to_threshold DOUBLE PRECISION,
    sentence TEXT NOT NULL DEFAULT '',
    span_start INTEGER NOT NULL,
    span_end INTEGER NOT NULL,
    extractor TEXT NOT NULL DEFAULT '',
    recorded_at TEXT NOT NULL
);
CREATE INDEX claims_document ON claims (document_id);
CREATE INDEX claims_entity ON claims (entity_id, unit);
CREATE INDEX facts_document ON facts (document_id);
