-- A chat is filed only into a folder that exists and is its owner's. Routes check the folder first, but a
-- folder deleted between that check and the write would leave the chat naming no folder, shown in no list.
-- Writes are serialised on SQLite, so here the check sees the delete or the delete sees the chat: a chat
-- whose folder is gone lands outside any folder, where the folder delete would have put it.
CREATE TRIGGER chat_folder_guard_insert AFTER INSERT ON chats
WHEN new.folder_id IS NOT NULL AND new.user_id NOT LIKE 'shared-%'
    AND NOT EXISTS (SELECT 1 FROM folders WHERE id = new.folder_id AND user_id = new.user_id)
BEGIN
    UPDATE chats SET folder_id = NULL WHERE id = new.id;
END;
CREATE TRIGGER chat_folder_guard_update AFTER UPDATE OF folder_id ON chats
WHEN new.folder_id IS NOT NULL AND new.user_id NOT LIKE 'shared-%'
    AND NOT EXISTS (SELECT 1 FROM folders WHERE id = new.folder_id AND user_id = new.user_id)
BEGIN
    UPDATE chats SET folder_id = NULL WHERE id = new.id;
END;
