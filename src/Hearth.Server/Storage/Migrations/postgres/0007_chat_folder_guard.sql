-- A chat is filed only into a folder that exists and is its owner's. Routes check the folder first, but a
-- folder deleted between that check and the write would leave the chat naming no folder, shown in no list.
-- A folder being deleted is locked FOR UPDATE (a folder delete locks its folders before it moves their
-- chats out; a user's deletion deletes them), so a folder this write cannot key-share right now is one on
-- its way out, and waiting for it could deadlock: such a chat lands outside any folder at once, where the
-- delete would have put it. A delete that gets there later waits for this write and moves the chat out itself.
CREATE FUNCTION chat_folder_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.folder_id IS NOT NULL AND NEW.user_id NOT LIKE 'shared-%' THEN
        PERFORM 1 FROM folders WHERE id = NEW.folder_id AND user_id = NEW.user_id FOR KEY SHARE SKIP LOCKED;
        IF NOT FOUND THEN
            NEW.folder_id := NULL;
        END IF;
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER chat_folder_guard_insert BEFORE INSERT ON chats
    FOR EACH ROW EXECUTE FUNCTION chat_folder_guard();
-- Only when the folder changes: flag writes that leave it alone take no lock on it.
CREATE TRIGGER chat_folder_guard_update BEFORE UPDATE OF folder_id ON chats
    FOR EACH ROW WHEN (NEW.folder_id IS DISTINCT FROM OLD.folder_id) EXECUTE FUNCTION chat_folder_guard();
