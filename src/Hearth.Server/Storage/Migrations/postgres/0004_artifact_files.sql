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
    size BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    storage_key TEXT NOT NULL,                -- uploads/conversations/{chat_id}/artifacts/{uuid}.{ext}
    created_at BIGINT NOT NULL                -- unix milliseconds
);
CREATE INDEX artifact_files_user_created_idx ON artifact_files (user_id, created_at DESC, id DESC);
CREATE INDEX artifact_files_user_kind_created_idx ON artifact_files (user_id, kind, created_at DESC, id DESC);
CREATE INDEX artifact_files_chat_created_idx ON artifact_files (chat_id, created_at, id);

-- Counts and bytes per user and kind, kept by triggers (cascaded deletes included), so the gallery's filter
-- counts and the per-user limit are lookups instead of scans.
CREATE TABLE artifact_file_usage (
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    files BIGINT NOT NULL,
    bytes BIGINT NOT NULL,
    PRIMARY KEY (user_id, kind)
);
CREATE FUNCTION artifact_file_usage_track() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO artifact_file_usage (user_id, kind, files, bytes) VALUES (NEW.user_id, NEW.kind, 1, NEW.size)
        ON CONFLICT (user_id, kind) DO UPDATE SET files = artifact_file_usage.files + 1, bytes = artifact_file_usage.bytes + EXCLUDED.bytes;
        RETURN NEW;
    END IF;
    UPDATE artifact_file_usage SET files = files - 1, bytes = bytes - OLD.size WHERE user_id = OLD.user_id AND kind = OLD.kind;
    RETURN OLD;
END $$;
CREATE TRIGGER artifact_files_usage AFTER INSERT OR DELETE ON artifact_files FOR EACH ROW EXECUTE FUNCTION artifact_file_usage_track();
