-- Artifact files: one row per file kept under uploads/conversations/{chat_id}/artifacts/ (the files stay the
-- source of truth; `rebuild-artifacts` recreates these rows from the folders).
CREATE TABLE artifact_files (
    id TEXT PRIMARY KEY,                      -- UUIDv7, so ids sort by creation
    chat_id TEXT NOT NULL REFERENCES chats (id) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,  -- the conversation's owner
    message_id TEXT NULL,
    name TEXT NOT NULL,                       -- the cleaned original name, metadata only
    search_name TEXT NOT NULL,                -- lower-cased name, for q=
    mime_type TEXT NOT NULL,
    kind TEXT NOT NULL,                       -- images, html, code or files, decided once at store time
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    storage_key TEXT NOT NULL,                -- uploads/conversations/{chat_id}/artifacts/{uuid}.{ext}
    created_at INTEGER NOT NULL               -- unix milliseconds
);
-- Newest first is (created_at, rowid) read backwards: rowid rides in every index for free, and small index
-- entries keep deep OFFSETs cheap (a third of the time of indexes that also carry the text id).
CREATE INDEX artifact_files_user_created_idx ON artifact_files (user_id, created_at);
CREATE INDEX artifact_files_user_kind_created_idx ON artifact_files (user_id, kind, created_at);
CREATE INDEX artifact_files_chat_created_idx ON artifact_files (chat_id, created_at);

-- Counts and bytes per user and kind, kept by triggers (cascaded deletes included), so the gallery's filter
-- counts and the per-user limit are lookups instead of scans.
CREATE TABLE artifact_file_usage (
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    files INTEGER NOT NULL,
    bytes INTEGER NOT NULL,
    PRIMARY KEY (user_id, kind)
);
CREATE TRIGGER artifact_files_usage_insert AFTER INSERT ON artifact_files BEGIN
    INSERT INTO artifact_file_usage (user_id, kind, files, bytes) VALUES (new.user_id, new.kind, 1, new.size)
    ON CONFLICT (user_id, kind) DO UPDATE SET files = files + 1, bytes = bytes + excluded.bytes;
END;
CREATE TRIGGER artifact_files_usage_delete AFTER DELETE ON artifact_files BEGIN
    UPDATE artifact_file_usage SET files = files - 1, bytes = bytes - old.size WHERE user_id = old.user_id AND kind = old.kind;
END;
