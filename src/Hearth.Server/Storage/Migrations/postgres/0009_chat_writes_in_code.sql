-- The rules that keep derived chat data in step move from triggers into the one write path in C#
-- (Chats/ChatChange): the default list's version number (0006) and the folder guard (0007). Triggers stay only
-- for derived indexes (artifact usage counts). Released copies of 0002, 0006 and 0007 were edited in place
-- before hashes were recorded, so a database may carry any of their versions: this brings each to one schema,
-- dropping whatever an earlier version made and recreating the indexes as they are now.
DROP TRIGGER IF EXISTS chat_list_version ON chats;
DROP TRIGGER IF EXISTS chat_list_version_user_delete ON users;
DROP TRIGGER IF EXISTS chat_folder_guard ON chats;
DROP TRIGGER IF EXISTS chat_folder_guard_insert ON chats;
DROP TRIGGER IF EXISTS chat_folder_guard_update ON chats;
DROP FUNCTION IF EXISTS chat_list_version_track();
DROP FUNCTION IF EXISTS chat_list_version_forget();
DROP FUNCTION IF EXISTS chat_list_version_bump(TEXT);
DROP FUNCTION IF EXISTS chat_in_default_list(BOOLEAN, BOOLEAN, TEXT);
DROP FUNCTION IF EXISTS chat_folder_guard();

-- Rows of users deleted meanwhile, and a new number for everyone: page starts remembered under the old rules
-- are never reused.
DELETE FROM chat_list_versions WHERE user_id NOT IN (SELECT id FROM users);
UPDATE chat_list_versions SET version = version + 1;

DROP INDEX IF EXISTS chats_user_archived_idx;
DROP INDEX IF EXISTS chats_list_idx;
CREATE INDEX chats_list_idx ON chats (user_id, archived, updated_at DESC, id) INCLUDE (pinned, folder_id, created_at, title);
DROP INDEX IF EXISTS chats_default_list_idx;
CREATE INDEX chats_default_list_idx ON chats (user_id, updated_at DESC, id) INCLUDE (created_at, title)
    WHERE archived = FALSE AND COALESCE(pinned, FALSE) = FALSE AND folder_id IS NULL;
CREATE INDEX IF NOT EXISTS chats_updated_idx ON chats (updated_at DESC, id);
