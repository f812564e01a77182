-- evpace schema 5: look documents up by where they were read from (file, or file:line for JSON Lines),
-- so that a distributed ingest can skip, before extracting them, the documents a previous run (or a
-- concurrent one) has stored already. Content-hash keys (documents.id, facts.id) stay what makes
-- concurrent writers idempotent; this index only saves work.
CREATE INDEX IF NOT EXISTS documents_path ON documents (path);
