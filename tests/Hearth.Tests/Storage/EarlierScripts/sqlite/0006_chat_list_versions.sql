-- A number per user that changes whenever the order or the membership of their chat list may have changed
-- (a chat added, removed, moved in time, archived, pinned or filed). The list keeps the start of pages it has
-- served along with this number, so a deep page is a short seek instead of a walk from the top, and a stale
-- start is never used: the page query reads the number in the same statement. Share snapshots
-- (user 'shared-<chat id>') are in no list and get no number.
CREATE TABLE chat_list_versions (
    user_id TEXT PRIMARY KEY,
    version INTEGER NOT NULL
);
INSERT INTO chat_list_versions (user_id, version) SELECT DISTINCT user_id, 1 FROM chats WHERE user_id NOT LIKE 'shared-%';

CREATE TRIGGER chat_list_version_insert AFTER INSERT ON chats WHEN new.user_id NOT LIKE 'shared-%' BEGIN
    INSERT INTO chat_list_versions (user_id, version) VALUES (new.user_id, 1)
    ON CONFLICT (user_id) DO UPDATE SET version = version + 1;
END;
-- A user who has chats always has a row (inserts create it), so a delete only needs to count up.
CREATE TRIGGER chat_list_version_delete AFTER DELETE ON chats BEGIN
    UPDATE chat_list_versions SET version = version + 1 WHERE user_id = old.user_id;
END;
CREATE TRIGGER chat_list_version_update AFTER UPDATE OF user_id, updated_at, archived, pinned, folder_id ON chats
WHEN old.user_id IS NOT new.user_id OR old.updated_at IS NOT new.updated_at OR old.archived IS NOT new.archived
    OR old.pinned IS NOT new.pinned OR old.folder_id IS NOT new.folder_id
BEGIN
    INSERT INTO chat_list_versions (user_id, version) SELECT new.user_id, 1 WHERE new.user_id NOT LIKE 'shared-%'
    ON CONFLICT (user_id) DO UPDATE SET version = version + 1;
    UPDATE chat_list_versions SET version = version + 1 WHERE user_id = old.user_id AND old.user_id IS NOT new.user_id;
END;
CREATE TRIGGER chat_list_version_user_delete AFTER DELETE ON users BEGIN
    DELETE FROM chat_list_versions WHERE user_id = old.id;
END;
