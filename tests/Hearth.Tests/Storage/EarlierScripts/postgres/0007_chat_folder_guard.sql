-- A chat is filed only into a folder that exists and is its owner's. Routes check the folder first, but a
-- folder deleted between that check and the write would leave the chat naming no folder, shown in no list.
-- The key-share lock waits for a folder delete in progress (it locks its folders FOR UPDATE before it moves
-- their chats out) and then sees the folder gone; a delete that gets there later waits for this write and then
-- moves the chat out itself.
-- Either way a chat whose folder is gone lands outside any folder, where the folder delete would have put it.
CREATE FUNCTION chat_folder_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.folder_id IS NOT NULL AND NEW.user_id NOT LIKE 'shared-%' THEN
        PERFORM 1 FROM folders WHERE id = NEW.folder_id AND user_id = NEW.user_id FOR KEY SHARE;
        IF NOT FOUND THEN
            NEW.folder_id := NULL;
        END IF;
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER chat_folder_guard BEFORE INSERT OR UPDATE OF folder_id ON chats
    FOR EACH ROW EXECUTE FUNCTION chat_folder_guard();
