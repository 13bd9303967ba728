-- Artifact key-value storage (artifacts-kv.md). A row's namespace is owner_id: the user's id for the
-- personal scope, '' for the one shared scope. user_id is set only on personal rows, so deleting a user
-- deletes their personal artifacts and leaves the shared ones they wrote.
CREATE TABLE artifacts (
    owner_id TEXT NOT NULL,
    key TEXT NOT NULL,
    user_id TEXT NULL REFERENCES users (id) ON DELETE CASCADE,
    value TEXT NOT NULL,                      -- the JSON text exactly as the client sent it
    version INTEGER NOT NULL,
    size INTEGER NOT NULL,                    -- UTF-8 byte length of value
    created_at INTEGER NOT NULL,              -- Unix milliseconds
    updated_at INTEGER NOT NULL,
    updated_by TEXT NOT NULL,                 -- a user id; not a foreign key, shared rows outlive their writers
    PRIMARY KEY (owner_id, key),
    CHECK ((owner_id = '' AND user_id IS NULL) OR user_id = owner_id)
) WITHOUT ROWID;
CREATE INDEX artifacts_user_idx ON artifacts (user_id) WHERE user_id IS NOT NULL;

-- Bytes stored per namespace, kept in the same transaction as every write so limits cost one row.
CREATE TABLE artifact_usage (
    owner_id TEXT PRIMARY KEY,
    user_id TEXT NULL REFERENCES users (id) ON DELETE CASCADE,
    bytes INTEGER NOT NULL
);
CREATE INDEX artifact_usage_user_idx ON artifact_usage (user_id) WHERE user_id IS NOT NULL;
