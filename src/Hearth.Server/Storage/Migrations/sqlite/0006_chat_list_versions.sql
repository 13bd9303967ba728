-- A number per user that changes whenever the order or the members of their default chat list (not archived,
-- not pinned, outside folders) change: a chat joins or leaves it, or moves within it. The list keeps the start
-- of pages it has served along with this number, so a deep page is a short seek instead of a walk from the
-- top, and a stale start is never used: the page query reads the number in the same snapshot as the rows.
-- A newer time for the chat already at the top (a reply being saved, the usual write) moves nothing and
-- counts nothing, so remembered starts survive it. Share snapshots (user 'shared-<chat id>') get no number.
CREATE TABLE chat_list_versions (
    user_id TEXT PRIMARY KEY,
    version INTEGER NOT NULL
);
INSERT INTO chat_list_versions (user_id, version) SELECT DISTINCT user_id, 1 FROM chats WHERE user_id NOT LIKE 'shared-%';

CREATE TRIGGER chat_list_version_insert AFTER INSERT ON chats
WHEN new.archived = 0 AND COALESCE(new.pinned, 0) = 0 AND new.folder_id IS NULL AND new.user_id NOT LIKE 'shared-%'
BEGIN
    INSERT INTO chat_list_versions (user_id, version) VALUES (new.user_id, 1)
    ON CONFLICT (user_id) DO UPDATE SET version = version + 1;
END;

-- A chat that was in the list got its user a row when it joined (insert or update), so counting up is enough.
CREATE TRIGGER chat_list_version_delete AFTER DELETE ON chats
WHEN old.archived = 0 AND COALESCE(old.pinned, 0) = 0 AND old.folder_id IS NULL
BEGIN
    UPDATE chat_list_versions SET version = version + 1 WHERE user_id = old.user_id;
END;

CREATE TRIGGER chat_list_version_update AFTER UPDATE OF user_id, updated_at, archived, pinned, folder_id ON chats
WHEN
    -- Another owner, while in the list before or after.
    (old.user_id IS NOT new.user_id AND ((old.archived = 0 AND COALESCE(old.pinned, 0) = 0 AND old.folder_id IS NULL)
        OR (new.archived = 0 AND COALESCE(new.pinned, 0) = 0 AND new.folder_id IS NULL)))
    -- Joined or left the list.
    OR ((old.archived = 0 AND COALESCE(old.pinned, 0) = 0 AND old.folder_id IS NULL)
        IS NOT (new.archived = 0 AND COALESCE(new.pinned, 0) = 0 AND new.folder_id IS NULL))
    -- Moved within the list: another chat of the list comes before it, before or after the change. Only the
    -- newest entries are looked at (the index range from the earlier of the two times), so this stays short.
    OR (old.user_id IS new.user_id AND old.updated_at IS NOT new.updated_at
        AND new.archived = 0 AND COALESCE(new.pinned, 0) = 0 AND new.folder_id IS NULL
        AND EXISTS (SELECT 1 FROM chats o INDEXED BY chats_default_list_idx
            WHERE o.user_id = new.user_id AND o.archived = 0 AND COALESCE(o.pinned, 0) = 0 AND o.folder_id IS NULL
              AND o.updated_at >= MIN(old.updated_at, new.updated_at) AND o.id <> new.id
              AND (o.updated_at > old.updated_at OR (o.updated_at = old.updated_at AND o.id < new.id)
                   OR o.updated_at > new.updated_at OR (o.updated_at = new.updated_at AND o.id < new.id))))
BEGIN
    INSERT INTO chat_list_versions (user_id, version) SELECT new.user_id, 1
    WHERE new.user_id NOT LIKE 'shared-%' AND (old.user_id IS new.user_id
        OR (new.archived = 0 AND COALESCE(new.pinned, 0) = 0 AND new.folder_id IS NULL))
    ON CONFLICT (user_id) DO UPDATE SET version = version + 1;
    UPDATE chat_list_versions SET version = version + 1
    WHERE user_id = old.user_id AND old.user_id IS NOT new.user_id
      AND old.archived = 0 AND COALESCE(old.pinned, 0) = 0 AND old.folder_id IS NULL;
END;

-- The admin dump (GET /all/db) reads every chat newest first, in batches that each seek here.
CREATE INDEX chats_updated_idx ON chats (updated_at DESC, id);

CREATE TRIGGER chat_list_version_user_delete AFTER DELETE ON users BEGIN
    DELETE FROM chat_list_versions WHERE user_id = old.id;
END;
