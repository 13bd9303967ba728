-- Open WebUI 0.11's read state: when the owner last saw the chat. A chat is unread while last_read_at is NULL or
-- older than updated_at. Chats that exist now count as read. The list indexes carry the column, so lists that
-- show it still read only the index.
ALTER TABLE chats ADD COLUMN last_read_at BIGINT NULL;
UPDATE chats SET last_read_at = updated_at;

DROP INDEX IF EXISTS chats_list_idx;
CREATE INDEX chats_list_idx ON chats (user_id, archived, updated_at DESC, id) INCLUDE (pinned, folder_id, created_at, title, last_read_at);
DROP INDEX IF EXISTS chats_default_list_idx;
CREATE INDEX chats_default_list_idx ON chats (user_id, updated_at DESC, id) INCLUDE (created_at, title, last_read_at)
    WHERE archived = FALSE AND COALESCE(pinned, FALSE) = FALSE AND folder_id IS NULL;
