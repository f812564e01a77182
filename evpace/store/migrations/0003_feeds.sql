-- evpace schema 3: feeds fetched over HTTP, the items each feed listed, and the article pages fetched.
-- Portable SQL (SQLite and PostgreSQL): text keys, ISO-8601 UTC timestamps as TEXT.
CREATE TABLE feeds (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    url TEXT NOT NULL UNIQUE,
    etag TEXT NOT NULL DEFAULT '',
    last_modified TEXT NOT NULL DEFAULT '',
    added_at TEXT NOT NULL,
    last_fetched_at TEXT,
    last_status TEXT NOT NULL DEFAULT 'never fetched',
    last_http_status INTEGER,
    last_error TEXT NOT NULL DEFAULT ''
);

CREATE TABLE feed_items (
    feed_id TEXT NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
    url TEXT NOT NULL,
    title TEXT NOT NULL DEFAULT '',
    published TEXT,
    first_seen_at TEXT NOT NULL,
    PRIMARY KEY (feed_id, url)
);

CREATE TABLE pages (
    url TEXT PRIMARY KEY,
    final_url TEXT NOT NULL DEFAULT '',
    etag TEXT NOT NULL DEFAULT '',
    last_modified TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL,
    http_status INTEGER,
    error TEXT NOT NULL DEFAULT '',
    fetched_at TEXT NOT NULL,
    document_id TEXT REFERENCES documents(id)
);
CREATE INDEX pages_document ON pages (document_id);
-- "is an article with this URL stored already?" is asked for every feed item
CREATE INDEX IF NOT EXISTS documents_url ON documents (url);
