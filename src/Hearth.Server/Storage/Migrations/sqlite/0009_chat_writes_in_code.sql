-- The rules that keep derived chat data in step move from triggers into the one write path in C#
-- (Chats/ChatChange): the default list's version number (0006) and the folder guard (0007). Triggers stay only
-- for derived indexes (full-text, artifact usage counts). Released copies of 0002, 0004, 0006 and 0007 were edited
-- in place before hashes were recorded, so a database may carry any of their versions: this brings each to one
-- schema, dropping whatever an earlier version made and recreating the indexes as they are now.
DROP TRIGGER IF EXISTS chat_list_version_insert;
DROP TRIGGER IF EXISTS chat_list_version_delete;
DROP TRIGGER IF EXISTS chat_list_version_update;
DROP TRIGGER IF EXISTS chat_list_version_user_delete;
DROP TRIGGER IF EXISTS chat_folder_guard_insert;
DROP TRIGGER IF EXISTS chat_folder_guard_update;

-- Rows of users deleted meanwhile, and a new number for everyone: page starts remembered under the old rules
-- are never reused.
DELETE FROM chat_list_versions WHERE user_id NOT IN (SELECT id FROM users);
UPDATE chat_list_versions SET version = version + 1;

DROP INDEX IF EXISTS chats_user_archived_idx;
DROP INDEX IF EXISTS chats_list_idx;
CREATE INDEX chats_list_idx ON chats (user_id, archived, updated_at DESC, id, pinned, folder_id, created_at, title);
DROP INDEX IF EXISTS chats_default_list_idx;
CREATE INDEX chats_default_list_idx ON chats (user_id, updated_at DESC, id)
    WHERE archived = 0 AND COALESCE(pinned, 0) = 0 AND folder_id IS NULL;
CREATE INDEX IF NOT EXISTS chats_updated_idx ON chats (updated_at DESC, id);

DROP INDEX IF EXISTS artifact_files_user_created_idx;
CREATE INDEX artifact_files_user_created_idx ON artifact_files (user_id, created_at);
DROP INDEX IF EXISTS artifact_files_user_kind_created_idx;
CREATE INDEX artifact_files_user_kind_created_idx ON artifact_files (user_id, kind, created_at);
DROP INDEX IF EXISTS artifact_files_chat_created_idx;
CREATE INDEX artifact_files_chat_created_idx ON artifact_files (chat_id, created_at);
